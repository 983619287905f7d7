// The zoomable map: country outlines (served by sayso, no tile server) and the collection's places
// as clustered, labelled pins; a pin's popup links to the quotes that mention that place.
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
  getJSON("/world.geojson", function (world) {
    L.geoJSON(world, { interactive: false, style: { color: "#ffffff", weight: 0.6, fillColor: "#d7dccf", fillOpacity: 1 } })
      .addTo(map).bringToBack();
  });
  getJSON(el.getAttribute("data-places"), function (places) {
    var clusters = L.markerClusterGroup({ showCoverageOnHover: false, maxClusterRadius: 40 });
    var top = places.length ? places[0].mentions : 1;
    places.forEach(function (p, n) {
      if (p.lat === null || p.lon === null) { return; }
      var pin = document.createElement("span");
      pin.className = "pin-label";
      pin.textContent = p.name + (p.country ? " (" + p.country + ")" : "");
      var size = Math.round(10 + 14 * Math.sqrt(p.mentions / top));
      var dot = document.createElement("span");
      dot.className = "pin-dot";
      var holder = document.createElement("div");
      holder.appendChild(dot);
      if (n < 40) { holder.appendChild(pin); }
      var marker = L.marker([p.lat, p.lon], {
        title: pin.textContent + ": " + p.mentions + " mentions",
        icon: L.divIcon({ className: "pin", html: holder, iconSize: [size, size] })
      });
      var popup = document.createElement("div");
      var link = document.createElement("a");
      link.href = "/quotes?place=" + encodeURIComponent(p.name + "|" + (p.country || ""));
      link.textContent = pin.textContent;
      popup.appendChild(link);
      popup.appendChild(document.createTextNode(": " + p.mentions + " mentions in " + p.documents + " documents"));
      marker.bindPopup(popup);
      clusters.addLayer(marker);
    });
    map.addLayer(clusters);
    if (clusters.getLayers().length) { map.fitBounds(clusters.getBounds().pad(0.3), { maxZoom: 6 }); }
    el.setAttribute("data-ready", String(places.length));
  });
})();
