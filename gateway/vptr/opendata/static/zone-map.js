// The zone's outline on a map: the page holds the outline (GeoJSON) and the tile server in data
// attributes of #map; Leaflet is the vendored copy the gateway serves.
(function () {
  "use strict";
  const element = document.getElementById("map");
  if (!element || typeof L === "undefined") {
    return;
  }
  const map = L.map(element);
  L.tileLayer(element.dataset.tiles, {
    attribution: element.dataset.attribution,
    maxZoom: 19,
  }).addTo(map);
  const layer = L.geoJSON(JSON.parse(element.dataset.outline), {
    style: { color: "#c0392b", weight: 3, fillOpacity: 0.25 },
  }).addTo(map);
  map.fitBounds(layer.getBounds(), { padding: [20, 20] });
  element.vptrMap = map;
})();
