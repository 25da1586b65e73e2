#include "daf/report/utterance_explorer.h"

#include <cmath>
#include <string>
#include <vector>

#include "daf/report/html_page.h"
#include "daf/util/strings.h"

namespace daf {
namespace {

// The explorer's own style: the weight bars, the error shading, the controls.
const char* const kExplorerStyle = R"css(<style>
.explorer-controls{display:flex;flex-wrap:wrap;gap:.4rem 1rem;align-items:end;margin:.5rem 0}
.explorer-controls label{display:flex;flex-direction:column;font-size:.85rem;color:#555}
.explorer-controls input,.explorer-controls select{font:inherit;font-size:.9rem;max-width:16rem}
.explorer-pager{display:flex;gap:.5rem;align-items:center;margin:.4rem 0}
.explorer-controls input[type=number]{width:6rem}
#ex-table td.transcript{white-space:normal;min-width:16rem;max-width:30rem}
.wbar{display:flex;width:7rem;height:.8rem;border:1px solid #ccd;background:#fff}
.wbar span{display:block;height:100%}
.legend span{display:inline-block;width:.8rem;height:.8rem;margin:0 .25rem 0 .75rem;vertical-align:middle}
.missing{color:#a33;font-size:.85rem}
</style>
)css";

// Draws the rows on demand: the data block is parsed once, filtered and sorted
// as the controls say, and only the current page of 100 rows is built, with
// textContent (never markup from the data). A condition's column shows its
// prediction, shaded by its error, and sorts by the error.
const char* const kExplorerScript = R"js(
(function () {
  var block = document.getElementById("explorer-data");
  if (!block) return;
  var data = JSON.parse(block.textContent);
  var PAGE = 100, colours = data.colours;
  var body = document.querySelector("#ex-table tbody"), count = document.getElementById("ex-count");
  var $ = function (id) { return document.getElementById(id); };
  var view = [], offset = 0, sortKey = null, ascending = true;
  // Each condition's shading scale: its 95th percentile error (at least a tiny number).
  var scale = data.conditions.map(function (c, k) {
    var e = data.rows.map(function (r) { return r[4][k]; }).filter(function (v) { return v !== null; });
    e.sort(function (a, b) { return a - b; });
    return Math.max(e.length ? e[Math.floor(0.95 * (e.length - 1))] : 0, 1e-9);
  });
  function weightCondition() { return $("ex-weights") ? +$("ex-weights").value : 0; }
  function weight(r, m) { var w = r[6][weightCondition()]; return w ? w[m] : null; }
  function key(r) {
    if (sortKey === "id") return r[0];
    if (sortKey === "label") return r[2];
    if (sortKey === "difference") return r[5];
    if (sortKey === "weight") return weight(r, $("ex-modality") ? +$("ex-modality").value : 0);
    if (sortKey === "transcript") return r[7];
    return r[4][+sortKey.slice(1)];
  }
  function compare(a, b) {
    var x = key(a), y = key(b);
    if (x === null || y === null) return (x === null) - (y === null);  // no value: last, both ways
    var c = typeof x === "string" ? x.localeCompare(y) : x - y;
    return ascending ? c : -c;
  }
  function keep(r) {
    var text = $("ex-text").value.trim().toLowerCase();
    if (text && r[0].toLowerCase().indexOf(text) < 0 && r[7].toLowerCase().indexOf(text) < 0) return false;
    var slice = $("ex-slice") ? $("ex-slice").value : "";
    if (slice !== "" && r[9].indexOf(+slice) < 0) return false;
    var least = parseFloat($("ex-error").value);
    if (!isNaN(least)) { var e = r[4][+$("ex-condition").value]; if (e === null || e < least) return false; }
    var side = $("ex-compare") ? $("ex-compare").value : "";
    if (side !== "" && (r[5] === null || (side === "reference" ? !(r[5] < 0) : side === "baseline" ? !(r[5] > 0) : r[5] !== 0))) return false;
    var w = $("ex-weight") ? parseFloat($("ex-weight").value) : NaN;
    if (!isNaN(w)) { var v = weight(r, +$("ex-modality").value); if (v === null || v < w) return false; }
    return true;
  }
  function cell(row, text, className) {
    var td = row.insertCell();
    td.textContent = text;
    if (className) td.className = className;
    return td;
  }
  function audioCell(row, href) {
    var td = row.insertCell();
    if (!href) { td.textContent = "-"; return; }
    var button = document.createElement("button");
    button.type = "button";
    button.textContent = "\u25B6 play";
    button.title = href;
    button.addEventListener("click", function () {
      var audio = document.createElement("audio");
      audio.controls = true;
      audio.preload = "auto";
      audio.addEventListener("error", function () {
        var p = document.createElement("span");
        p.className = "missing";
        p.textContent = "cannot play " + href + ": not there relative to this page, or a format this browser " +
          "does not play (the page must lie where it was written, next to the data)";
        td.replaceChildren(p);
      });
      audio.src = href;
      td.replaceChildren(audio);
      audio.play().catch(function () {});
    });
    td.appendChild(button);
  }
  function draw() {
    body.replaceChildren();
    var end = Math.min(offset + PAGE, view.length);
    for (var i = offset; i < end; ++i) {
      var r = view[i], row = body.insertRow();
      cell(row, r[0], "id");
      cell(row, r[1], "num");
      data.conditions.forEach(function (c, k) {
        var td = cell(row, r[3][k], "num");
        if (r[4][k] !== null) {
          td.title = data.error_meaning + ": " + r[4][k];
          td.style.background = "rgba(238,102,119," + (0.55 * Math.min(1, r[4][k] / scale[k])).toFixed(2) + ")";
        }
      });
      if (data.conditions.length === 1) cell(row, r[4][0] === null ? "-" : r[4][0].toFixed(4), "num");
      if (data.baseline) cell(row, r[5] === null ? "-" : r[5].toFixed(4), "num");
      if (data.gated.length) {
        var td = row.insertCell(), w = r[6][weightCondition()];
        if (w && w.every(function (v) { return v !== null; })) {
          var bar = document.createElement("div");
          bar.className = "wbar";
          bar.title = data.modalities.map(function (m, k) { return m + " " + w[k].toFixed(3); }).join(", ");
          w.forEach(function (v, k) {
            var s = document.createElement("span");
            s.style.width = (100 * v).toFixed(1) + "%";
            s.style.background = colours[k % colours.length];
            bar.appendChild(s);
          });
          td.appendChild(bar);
        } else td.textContent = "-";
      }
      if (data.transcripts) cell(row, r[7], "transcript");
      if (data.audio) audioCell(row, r[8]);
    }
    count.dataset.n = view.length;
    count.textContent = view.length ? "Rows " + (offset + 1) + "\u2013" + end + " of " + view.length +
      " shown (" + data.rows.length + " utterances in all)." : "No utterance matches (" + data.rows.length + " in all).";
    $("ex-previous").disabled = offset === 0;
    $("ex-next").disabled = end >= view.length;
  }
  function update() {
    view = data.rows.filter(keep);
    if (sortKey !== null) view.sort(compare);
    offset = 0;
    draw();
  }
  document.querySelectorAll("#ex-table th[data-key]").forEach(function (th) {
    th.tabIndex = 0;
    function sort() {
      var k = th.getAttribute("data-key");
      ascending = sortKey === k ? !ascending : true;
      sortKey = k;
      document.querySelectorAll("#ex-table th").forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      update();
    }
    th.addEventListener("click", sort);
    th.addEventListener("keydown", function (e) { if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); } });
  });
  document.querySelectorAll(".explorer-controls input, .explorer-controls select").forEach(function (c) {
    c.addEventListener(c.tagName === "SELECT" ? "change" : "input", update);
  });
  $("ex-previous").addEventListener("click", function () { offset = Math.max(0, offset - PAGE); draw(); });
  $("ex-next").addEventListener("click", function () { if (offset + PAGE < view.length) offset += PAGE; draw(); });
  $("explorer").hidden = false;
  update();
})();
)js";

// One colour per modality, in the bars (script) and the legend: the JSON carries them.
const std::vector<std::string> kColours = {"#4477aa", "#ee6677", "#228833", "#ccbb44", "#66ccee", "#aa3377", "#bbbbbb"};

// Which optional columns the rows fill.
struct Columns {
  bool transcripts = false, audio = false;
  explicit Columns(const ExplorerData& data) {
    for (const auto& row : data.rows) transcripts |= !row.transcript.empty(), audio |= !row.audio.empty();
  }
};

std::string number(double v, int decimals) { return std::isfinite(v) ? format_fixed(v, decimals) : "null"; }

// JSON text safe inside an HTML element: json_escape's text with <, > and & as \u escapes.
std::string json_string(const std::string& text) {
  std::string out;
  for (char c : json_escape(text)) {
    if (c == '<') out += "\\u003c";
    else if (c == '>') out += "\\u003e";
    else if (c == '&') out += "\\u0026";
    else out += c;
  }
  return out;
}

std::string string_array(const std::vector<std::string>& values) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) out += (i ? "," : "") + json_string(values[i]);
  return out + "]";
}

std::string number_array(const std::vector<double>& values, int decimals) {
  std::string out = "[";
  for (size_t i = 0; i < values.size(); ++i) out += (i ? "," : "") + number(values[i], decimals);
  return out + "]";
}

std::string options(const std::vector<std::string>& names, const std::string& first = "") {
  std::string html = first.empty() ? "" : "<option value=\"\">" + html_escape(first) + "</option>";
  for (size_t i = 0; i < names.size(); ++i)
    html += "<option value=\"" + std::to_string(i) + "\">" + html_escape(names[i]) + "</option>";
  return html;
}

std::string control(const std::string& label, const std::string& field) {
  return "<label>" + html_escape(label) + field + "</label>";
}

std::string controls(const ExplorerData& data) {
  std::string html = "<div class=\"explorer-controls\">";
  html += control(Columns(data).transcripts ? "id or transcript contains" : "id contains", "<input id=\"ex-text\" type=\"search\">");
  if (!data.slices.empty()) html += control("slice", "<select id=\"ex-slice\">" + options(data.slices, "every utterance") + "</select>");
  html += control("error of", "<select id=\"ex-condition\">" + options(data.conditions) + "</select>");
  html += control("at least", "<input id=\"ex-error\" type=\"number\" step=\"any\" min=\"0\" placeholder=\"any\">");
  if (!data.baseline.empty())
    html += control("compared", "<select id=\"ex-compare\"><option value=\"\">every utterance</option>"
                                "<option value=\"reference\">" + html_escape(data.reference) + " better</option>"
                                "<option value=\"baseline\">" + html_escape(data.baseline) + " better</option>"
                                "<option value=\"equal\">equal errors</option></select>");
  if (!data.gated.empty()) {
    if (data.gated.size() > 1)
      html += control("weights of", "<select id=\"ex-weights\">" + options(data.gated) + "</select>");
    html += control("weight of", "<select id=\"ex-modality\">" + options(data.modalities) + "</select>");
    html += control("at least", "<input id=\"ex-weight\" type=\"number\" step=\"0.05\" min=\"0\" max=\"1\" placeholder=\"any\">");
  }
  return html + "</div>\n";
}

std::string header(const ExplorerData& data) {
  const auto th = [](const std::string& key, const std::string& text, bool numeric) {
    return std::string("<th") + (numeric ? " class=\"num\"" : "") + (key.empty() ? "" : " data-key=\"" + key + "\"") +
           ">" + html_escape(text) + "</th>";
  };
  std::string html = "<thead><tr>" + th("id", "id", false) + th("label", "label", true);
  for (size_t c = 0; c < data.conditions.size(); ++c) html += th("c" + std::to_string(c), data.conditions[c], true);
  if (data.conditions.size() == 1) html += th("c0", "error", true);  // one condition: its error as a number too
  if (!data.baseline.empty()) html += th("difference", "error " + data.reference + " \u2212 " + data.baseline, true);
  if (!data.gated.empty()) html += th("weight", "fusion weights", false);
  const Columns columns(data);
  if (columns.transcripts) html += th("transcript", "transcript", false);
  if (columns.audio) html += th("", "audio", false);
  return html + "</tr></thead>";
}

}  // namespace

std::string explorer_json(const ExplorerData& data) {
  const Columns columns(data);
  std::string json = "{\"error_meaning\":" + json_string(data.error_meaning) +
                     ",\"conditions\":" + string_array(data.conditions) +
                     ",\"reference\":" + json_string(data.reference) + ",\"baseline\":" + json_string(data.baseline) +
                     ",\"gated\":" + string_array(data.gated) + ",\"modalities\":" + string_array(data.modalities) +
                     ",\"slices\":" + string_array(data.slices) + ",\"transcripts\":" + (columns.transcripts ? "true" : "false") +
                     ",\"audio\":" + (columns.audio ? "true" : "false") + ",\"colours\":" + string_array(kColours) +
                     ",\"rows\":[\n";
  // A row: [id, label, label value, predictions, errors, difference, weights, transcript, audio, slices].
  for (size_t i = 0; i < data.rows.size(); ++i) {
    const ExplorerRow& r = data.rows[i];
    std::string weights = "[";
    for (size_t g = 0; g < r.weights.size(); ++g)
      weights += (g ? "," : "") + (r.weights[g].empty() ? std::string("null") : number_array(r.weights[g], 3));
    std::string slices = "[";
    for (size_t s = 0; s < r.slices.size(); ++s) slices += (s ? "," : "") + std::to_string(r.slices[s]);
    json += (i ? ",\n[" : "[") + json_string(r.id) + "," + json_string(r.label) + "," + number(r.label_value, 6) + "," +
            string_array(r.predictions) + "," + number_array(r.errors, 4) + "," + number(r.difference, 4) + "," +
            weights + "]," + json_string(r.transcript) + "," + json_string(r.audio) + "," + slices + "]]";
  }
  return json + "]}";
}

void add_utterance_explorer(HtmlPage& page, const ExplorerData& data) {
  page.heading("Utterances");
  std::string intro = "Every utterance of the " + data.scope + " (" + std::to_string(data.rows.size()) +
                      "): a condition's column shows its prediction" +
                      (data.conditions.size() > 1 ? " (over seeds: the mean, or the seeds' majority)" : "") +
                      ", shaded by its error (" + data.error_meaning + "), and sorts by that error";
  if (!data.baseline.empty())
    intro += "; the difference column is " + data.reference + "'s error minus " + data.baseline +
             "'s (negative: " + data.reference + " was closer)";
  if (!data.gated.empty()) intro += "; the bar shows the fusion weights (" + join(data.modalities, ", ") + ")";
  page.paragraph(intro + ". Click a column's header to sort by it; 100 rows are drawn at a time.");
  if (!data.audio_note.empty()) page.note(data.audio_note);
  std::string html = kExplorerStyle;
  html += "<noscript><p class=\"note\">The utterance explorer needs JavaScript. " + html_escape(data.no_script_note) +
          "</p></noscript>\n<div id=\"explorer\" hidden>" + controls(data);
  if (!data.gated.empty()) {
    html += "<p class=\"legend\">fusion weights:";
    for (size_t m = 0; m < data.modalities.size(); ++m)
      html += "<span style=\"background:" + kColours[m % kColours.size()] + "\"></span>" + html_escape(data.modalities[m]);
    html += "</p>";
  }
  html += "<div class=\"explorer-pager\"><button type=\"button\" id=\"ex-previous\">previous 100</button>"
          "<button type=\"button\" id=\"ex-next\">next 100</button><span id=\"ex-count\" aria-live=\"polite\"></span></div>"
          "<div class=\"scroll\"><table id=\"ex-table\">" + header(data) + "<tbody></tbody></table></div></div>\n";
  html += "<script type=\"application/json\" id=\"explorer-data\">" + explorer_json(data) + "</script>\n";
  page.markup(html);
  page.script(kExplorerScript);
}

}  // namespace daf
