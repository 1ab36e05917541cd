/* Zones on a map (Leaflet, vendored): the overview with stacked zones at a point, and the
   outline editor. No inline script: configuration comes from data- attributes. */
(function () {
  "use strict";
  var COLOURS = { paidParking: "#b30000", permitParking: "#1f5fbf", blueZone: "#0066cc",
    lowTrafficZone: "#6a3d9a", lowEmissionZone: "#2e7d32", pedestrianZone: "#8a4b08" };

  function base(element) {
    var map = L.map(element, { keyboard: true }).setView([51.0535, 3.7245], 14);
    L.tileLayer(element.getAttribute("data-tiles"), {
      maxZoom: 19, attribution: element.getAttribute("data-attribution") || ""
    }).addTo(map);
    return map;
  }

  function getJson(url) {
    return fetch(url, { credentials: "same-origin", headers: { Accept: "application/json" } })
      .then(function (r) { if (!r.ok) { throw new Error(r.status); } return r.json(); });
  }

  function zoneLayer(data, faint) {
    return L.geoJSON(data, {
      style: function (f) {
        var c = COLOURS[f.properties.kind] || "#444";
        return { color: c, weight: faint ? 1 : 2, fillOpacity: faint ? 0.05 : 0.15,
          interactive: !faint };
      },
      onEachFeature: function (f, layer) {
        if (!faint) { layer.bindTooltip(f.properties.name + " — " + f.properties.kindLabel); }
      }
    });
  }

  function escapeText(s) {
    var d = document.createElement("div"); d.textContent = s == null ? "" : String(s);
    return d.innerHTML;
  }

  // --- the overview -------------------------------------------------------------------------
  var overview = document.getElementById("map");
  if (overview) {
    var map = base(overview);
    overview.vptrMap = map;  // for the browser tests
    var panel = document.getElementById("at-point");
    var pin = null;
    getJson(overview.getAttribute("data-zones")).then(function (data) {
      var layer = zoneLayer(data, false).addTo(map);
      if (data.features.length) { map.fitBounds(layer.getBounds(), { padding: [20, 20] }); }
      layer.on("click", function (e) { showPoint(e.latlng); });
    });
    var showPoint = function (latlng) {
      if (pin) { map.removeLayer(pin); }
      pin = L.circleMarker(latlng, { radius: 7, color: "#000", fillColor: "#ffbf47", fillOpacity: 1 })
        .addTo(map);
      var url = overview.getAttribute("data-at-point") + "?lon=" + latlng.lng.toFixed(6) +
        "&lat=" + latlng.lat.toFixed(6);
      getJson(url).then(function (zones) {
        if (!zones.length) { panel.innerHTML = "<p>" + escapeText(panel.getAttribute("data-none")) + "</p>"; return; }
        panel.innerHTML = "<p class=\"help\">" + latlng.lat.toFixed(5) + ", " + latlng.lng.toFixed(5) +
          "</p><ol id=\"stacked\">" + zones.map(function (z) {
            return "<li><a href=\"" + escapeText(z.href) + "\">" + escapeText(z.name) + "</a> <span class=\"badge\">" +
              escapeText(z.kind) + "</span></li>";
          }).join("") + "</ol>";
      });
    };
    map.on("click", function (e) { showPoint(e.latlng); });
  }

  // --- the outline editor -------------------------------------------------------------------
  var editor = document.getElementById("editor");
  if (editor) {
    var emap = base(editor);
    editor.vptrMap = emap;
    var target = document.getElementById(editor.getAttribute("data-target"));
    var points = [];  // [lat, lng]
    var markers = [];
    var dragging = null;
    var polygon = L.polygon([], { color: "#00385f", weight: 3, fillOpacity: 0.2 }).addTo(emap);
    var icon = L.divIcon({ className: "vertex", html: "<span></span>", iconSize: [14, 14] });

    getJson(editor.getAttribute("data-zones")).then(function (data) {
      zoneLayer(data, true).addTo(emap);
      if (!points.length && data.features.length) {
        emap.fitBounds(L.geoJSON(data).getBounds(), { padding: [20, 20] });
      }
    });

    var write = function () {
      if (points.length < 3) { target.value = points.length ? "" : target.value; return; }
      var ring = points.map(function (p) { return [+p[1].toFixed(6), +p[0].toFixed(6)]; });
      ring.push(ring[0]);
      target.value = JSON.stringify({ type: "Polygon", coordinates: [ring] });
    };
    var redraw = function () {
      markers.forEach(function (m) { emap.removeLayer(m); });
      markers = points.map(function (p, i) {
        var m = L.marker(p, { icon: icon, keyboard: false }).addTo(emap);
        // Drag a corner with any pointer (mouse, pen, touch), captured by the corner itself.
        var el = m.getElement();
        el.addEventListener("pointerdown", function (ev) {
          ev.preventDefault(); ev.stopPropagation();
          dragging = i; emap.dragging.disable(); el.setPointerCapture(ev.pointerId);
        });
        el.addEventListener("pointermove", function (ev) {
          if (dragging !== i) { return; }
          var ll = emap.mouseEventToLatLng(ev);
          points[i] = [ll.lat, ll.lng]; m.setLatLng(ll); polygon.setLatLngs(points);
        });
        var drop = function () {
          if (dragging !== i) { return; }
          dragging = null; emap.dragging.enable(); write();
        };
        el.addEventListener("pointerup", drop);
        el.addEventListener("click", function (ev) { ev.stopPropagation(); });  // no new corner
        el.addEventListener("pointercancel", drop);
        return m;
      });
      polygon.setLatLngs(points);
    };
    var read = function () {
      var text = target.value.trim();
      var ring = null;
      try {
        if (text.charAt(0) === "{") {
          var g = JSON.parse(text);
          if (g.type === "Feature") { g = g.geometry; }
          if (g.type === "Polygon") { ring = g.coordinates[0]; }
          if (g.type === "MultiPolygon") { ring = g.coordinates[0][0]; }
        } else if (/^POLYGON/i.test(text)) {
          ring = text.replace(/^POLYGON\s*\(\(/i, "").replace(/\)\)\s*$/, "").split(",")
            .map(function (pair) { return pair.trim().split(/\s+/).map(Number); });
        }
      } catch (e) { ring = null; }
      if (!ring) { return; }
      points = ring.slice(0, ring.length - 1).map(function (c) { return [c[1], c[0]]; });
      redraw();
      if (points.length) { emap.fitBounds(polygon.getBounds(), { padding: [30, 30], animate: false }); }
    };
    read();
    target.addEventListener("change", read);
    emap.on("click", function (e) { points.push([e.latlng.lat, e.latlng.lng]); redraw(); write(); });
    document.getElementById("undo-point").addEventListener("click", function () {
      points.pop(); redraw(); write();
    });
    document.getElementById("clear-outline").addEventListener("click", function () {
      points = []; redraw(); target.value = "";
    });
  }
})();
