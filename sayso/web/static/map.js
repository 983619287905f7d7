// The zoomable map: country outlines (served by sayso, no tile server) and the collection's places
// as clustered pins; a pin's popup links to the quotes that mention that place.
// Every pin carries its place's name and every cluster the name of its most mentioned place with
// "+N" for the others. After each zoom or pan the labels are laid out, most mentioned first, each
// right, left, above or below its pin wherever it stays inside the map and covers no other label,
// pin or control; a label with no such place is hidden until zooming in makes room (hovering or
// focusing its pin shows it anyway). At most a few hundred pins are drawn at once: milliseconds.
(function () {
  var el = document.getElementById("map");
  if (!el || !window.L) { return; }
  var map = L.map(el, { worldCopyJump: true, minZoom: 1, maxZoom: 12, attributionControl: false }).setView([25, 20], 2);
  el.setAttribute("data-zoom", String(map.getZoom()));
  map.on("zoomend", function () { el.setAttribute("data-zoom", String(map.getZoom())); });
  var attribution = L.control.attribution({ prefix: false }).addTo(map);
  attribution.addAttribution("Outlines: countryinfo · places: GeoNames (CC BY 4.0) · Leaflet");

  function getJSON(url, done) {
    var request = new XMLHttpRequest();
    request.open("GET", url);
    request.onload = function () { if (request.status === 200) { done(JSON.parse(request.responseText)); } };
    request.send();
  }

  function withCountry(p) {
    return p.name + (p.country ? " (" + p.country + ")" : "");
  }

  function label(text, mentions) {
    var span = document.createElement("span");
    span.className = "pin-label";
    span.textContent = text;
    span.setAttribute("data-mentions", String(mentions));
    return span;
  }

  function pinIcon(p, top) {
    var size = Math.round(10 + 14 * Math.sqrt(p.mentions / top));
    var dot = document.createElement("span");
    dot.className = "pin-dot";
    var holder = document.createElement("div");
    holder.appendChild(dot);
    holder.appendChild(label(p.name, p.mentions));
    return L.divIcon({ className: "pin", html: holder, iconSize: [size, size] });
  }

  function popup(p) {
    var box = document.createElement("div");
    var link = document.createElement("a");
    link.href = "/quotes?place=" + encodeURIComponent(p.name + "|" + (p.country || ""));
    link.textContent = withCountry(p);
    box.appendChild(link);
    box.appendChild(document.createTextNode(": " + p.mentions + " mentions in " + p.documents + " documents"));
    return box;
  }

  function pin(p, top) {
    var marker = L.marker([p.lat, p.lon], {
      title: withCountry(p) + ": " + p.mentions + " mentions", icon: pinIcon(p, top), riseOnHover: true });
    marker.place = p;
    marker.bindPopup(popup(p));
    return marker;
  }

  // A cluster's circle shows how many places it holds; its label names the most mentioned of them.
  function clusterIcon(cluster) {
    var markers = cluster.getAllChildMarkers();
    var first = markers[0].place;
    var mentions = 0;
    markers.forEach(function (m) {
      mentions += m.place.mentions;
      if (m.place.mentions > first.mentions) { first = m.place; }
    });
    var count = document.createElement("span");
    count.textContent = String(markers.length);
    var circle = document.createElement("div");
    circle.appendChild(count);
    circle.appendChild(label(first.name + " +" + (markers.length - 1), mentions));
    var size = markers.length < 10 ? "small" : markers.length < 100 ? "medium" : "large";
    return L.divIcon({ html: circle, className: "marker-cluster marker-cluster-" + size, iconSize: L.point(40, 40) });
  }

  // Closer than a pixel counts as touching (Leaflet rounds where it draws a marker).
  function overlap(a, b) {
    return a.left < b.right + 1 && b.left < a.right + 1 && a.top < b.bottom + 1 && b.top < a.bottom + 1;
  }

  function boxAt(left, top, width, height) {
    return { left: left, top: top, right: left + width, bottom: top + height };
  }

  // The classes that put a label right of its pin (none), left, above or below it, 3px off as in style.css.
  var SIDES = ["", "pin-label-left", "pin-label-above", "pin-label-below"];

  // Where the label would be on each side, in the order of SIDES.
  function sides(at, icon, node) {
    var width = node.offsetWidth;
    var height = node.offsetHeight;
    var halfWidth = icon.offsetWidth / 2;
    var halfHeight = icon.offsetHeight / 2;
    return [boxAt(at.x + halfWidth + 3, at.y - height / 2, width, height),
      boxAt(at.x - halfWidth - 3 - width, at.y - height / 2, width, height),
      boxAt(at.x - width / 2, at.y - halfHeight - 3 - height, width, height),
      boxAt(at.x - width / 2, at.y + halfHeight + 3, width, height)];
  }

  // The zoom buttons and the attribution, which labels keep clear of too.
  function controls() {
    var frame = el.getBoundingClientRect();
    return Array.prototype.map.call(el.querySelectorAll(".leaflet-control"), function (control) {
      var r = control.getBoundingClientRect();
      return boxAt(r.left - frame.left - el.clientLeft, r.top - frame.top - el.clientTop, r.width, r.height);
    });
  }

  // Every label's possible boxes and the box of every pin and cluster circle, in the map's pixels
  // from where Leaflet puts each marker (pins may still be gliding there at the end of a zoom).
  function measure() {
    var marks = [];
    var labels = [];
    map.eachLayer(function (layer) {
      var icon = layer instanceof L.Marker && layer.getElement();
      if (!icon) { return; }
      var at = map.latLngToContainerPoint(layer.getLatLng());
      var mark = icon.firstElementChild || icon;
      var node = icon.querySelector(".pin-label");
      if (node) { labels.push({ node: node, sides: sides(at, icon, node), own: marks.length, mentions: Number(node.getAttribute("data-mentions")) }); }
      marks.push(boxAt(at.x - mark.offsetWidth / 2, at.y - mark.offsetHeight / 2, mark.offsetWidth, mark.offsetHeight));
    });
    labels.sort(function (a, b) { return b.mentions - a.mentions; });
    return { marks: marks.concat(controls()), labels: labels, frame: boxAt(0, 0, el.clientWidth, el.clientHeight) };
  }

  function inside(spot, frame) {
    return spot.left >= frame.left && spot.top >= frame.top && spot.right <= frame.right && spot.bottom <= frame.bottom;
  }

  function fits(spot, own, marks, placed) {
    var onMark = marks.some(function (mark, n) { return n !== own && overlap(mark, spot); });
    return !onMark && !placed.some(function (taken) { return overlap(taken, spot); });
  }

  // Most mentioned first, each label goes to the first side of its pin where it is inside the map
  // and covers no other label, pin or control; a label with no such side is hidden.
  function declutter() {
    if (el.querySelector(".leaflet-zoom-anim, .leaflet-cluster-anim")) { return; }  // laid out when it ends
    var found = measure();
    var placed = [];
    found.labels.forEach(function (label) {
      label.side = label.sides.findIndex(function (spot) {
        return inside(spot, found.frame) && fits(spot, label.own, found.marks, placed);
      });
      if (label.side >= 0) { placed.push(label.sides[label.side]); }
    });
    found.labels.forEach(function (label) {
      label.node.classList.toggle("pin-label-hidden", label.side < 0);
      SIDES.forEach(function (side, n) { if (side) { label.node.classList.toggle(side, label.side === n); } });
    });
    el.setAttribute("data-labelled-zoom", String(map.getZoom()));
  }

  var pending = false;
  function declutterSoon() {
    if (pending) { return; }
    pending = true;
    window.requestAnimationFrame(function () { pending = false; declutter(); });
  }

  getJSON("/world.geojson", function (world) {
    L.geoJSON(world, { interactive: false, style: { color: "#ffffff", weight: 0.6, fillColor: "#d7dccf", fillOpacity: 1 } })
      .addTo(map).bringToBack();
  });
  getJSON(el.getAttribute("data-places"), function (places) {
    var clusters = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40, iconCreateFunction: clusterIcon });
    var top = places.length ? places[0].mentions : 1;
    places.forEach(function (p) {
      if (p.lat !== null && p.lon !== null) { clusters.addLayer(pin(p, top)); }
    });
    map.addLayer(clusters);
    map.on("zoomend moveend", declutterSoon);
    clusters.on("animationend", declutterSoon);
    if (clusters.getLayers().length) { map.fitBounds(clusters.getBounds().pad(0.3), { maxZoom: 6 }); }
    declutterSoon();
    el.setAttribute("data-ready", String(places.length));
  });
})();
