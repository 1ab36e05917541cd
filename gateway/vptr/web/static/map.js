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
      if (data.features.length) { map.fitBounds(layer.getBounds(), { padding: [20, 20], animate: false }); }
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
    // Without a pointer: pan with the arrow keys, then ask for the zones under the cross.
    var atCentre = document.getElementById("zones-at-centre");
    if (atCentre) { atCentre.addEventListener("click", function () { showPoint(map.getCenter()); }); }
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
    // The keyboard path: the cross in the middle of the map is where a corner is added or moved
    // to; a corner is chosen from a list; every change is announced (role="status").
    var messages = JSON.parse(editor.getAttribute("data-messages") || "{}");
    var status = document.getElementById("editor-status");
    var chooser = document.getElementById("corner");
    var moveButton = document.getElementById("move-corner");
    var removeButton = document.getElementById("remove-corner");
    var selected = -1;
    var fill = function (key, values) {
      return (messages[key] || "").replace(/\{(\w+)\}/g, function (all, name) {
        return values[name] != null ? String(values[name]) : all;
      });
    };
    var about = function (i) {
      return { n: i + 1, lat: points[i][0].toFixed(5), lng: points[i][1].toFixed(5),
        count: points.length };
    };
    var say = function (key, values) { status.textContent = fill(key, values || {}); };
    var highlight = function () {
      markers.forEach(function (m, i) {
        var el = m.getElement();
        if (el) { el.classList.toggle("selected", i === selected); }
      });
    };
    var listCorners = function () {
      chooser.innerHTML = "";
      if (selected >= points.length) { selected = points.length - 1; }
      if (selected < 0 && points.length) { selected = points.length - 1; }
      if (!points.length) {
        var none = document.createElement("option");
        none.value = ""; none.textContent = fill("corner_none", {});
        chooser.appendChild(none);
      }
      points.forEach(function (p, i) {
        var option = document.createElement("option");
        option.value = String(i); option.textContent = fill("corner_option", about(i));
        chooser.appendChild(option);
      });
      var empty = !points.length;
      chooser.disabled = empty; moveButton.disabled = empty; removeButton.disabled = empty;
      if (!empty) { chooser.value = String(selected); }
      highlight();
    };
    var icon = L.divIcon({ className: "vertex", html: "<span></span>", iconSize: [14, 14] });

    getJson(editor.getAttribute("data-zones")).then(function (data) {
      zoneLayer(data, true).addTo(emap);
      if (!points.length && data.features.length) {
        emap.fitBounds(L.geoJSON(data).getBounds(), { padding: [20, 20], animate: false });
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
          selected = i; listCorners(); say("corner_moved", about(i));
        };
        el.addEventListener("pointerup", drop);
        el.addEventListener("click", function (ev) { ev.stopPropagation(); });  // no new corner
        el.addEventListener("pointercancel", drop);
        return m;
      });
      polygon.setLatLngs(points);
      listCorners();
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
    var add = function (latlng) {
      points.push([latlng.lat, latlng.lng]); selected = points.length - 1;
      redraw(); write(); say("corner_added", about(selected));
    };
    emap.on("click", function (e) { add(e.latlng); });
    document.getElementById("add-corner").addEventListener("click", function () {
      add(emap.getCenter());
    });
    chooser.addEventListener("change", function () {
      selected = Number(chooser.value);
      if (points[selected]) {
        emap.panTo(points[selected], { animate: false });
        highlight(); say("corner_chosen", about(selected));
      }
    });
    moveButton.addEventListener("click", function () {
      if (!points[selected]) { return; }
      var c = emap.getCenter();
      points[selected] = [c.lat, c.lng];
      redraw(); write(); say("corner_moved", about(selected));
    });
    var remove = function (i) {
      if (!points[i]) { return; }
      points.splice(i, 1);
      selected = Math.min(i, points.length - 1);
      redraw(); write(); say("corner_removed", { n: i + 1, count: points.length });
    };
    removeButton.addEventListener("click", function () { remove(selected); });
    document.getElementById("undo-point").addEventListener("click", function () {
      remove(points.length - 1);
    });
    document.getElementById("clear-outline").addEventListener("click", function () {
      points = []; selected = -1; redraw(); target.value = ""; say("outline_cleared");
    });
  }
})();
