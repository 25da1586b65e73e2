#include "daf/report/html_page.h"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <filesystem>
#include <regex>

#include "daf/util/atomic_file.h"
#include "daf/util/error.h"
#include "daf/util/sha256.h"
#include "daf/util/strings.h"

namespace daf {
namespace {

const char* const kStyle = R"css(
body{font:15px/1.45 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;color:#1d2125;background:#fff;margin:0}
main{max-width:1100px;margin:0 auto;padding:1rem 1.25rem 3rem}
h1{font-size:1.45rem;margin:.5rem 0 1rem;overflow-wrap:anywhere}
h2{font-size:1.2rem;margin:2rem 0 .6rem;border-bottom:1px solid #d8dde3;padding-bottom:.25rem}
h3{font-size:1.05rem;margin:1.4rem 0 .5rem}
.scroll{overflow-x:auto;margin:.5rem 0 1rem}
table{border-collapse:collapse;font-variant-numeric:tabular-nums}
caption{text-align:left;color:#555;padding:.25rem 0}
th,td{padding:.3rem .6rem;border-bottom:1px solid #e3e7eb;text-align:left;white-space:nowrap}
code{font-size:.9em;background:#f3f5f7;padding:0 .2em;border-radius:3px}
th{background:#f3f5f7;font-weight:600}
th.num,td.num{text-align:right}
td.best{font-weight:700}
table.sortable th{cursor:pointer;user-select:none}
table.sortable th:focus{outline:2px solid #4477aa}
th[aria-sort=ascending]::after{content:" \25B2"}
th[aria-sort=descending]::after{content:" \25BC"}
.note{background:#fff6da;border-left:4px solid #e0b100;padding:.5rem .75rem}
figure{margin:1rem 0}
figure svg,figure img{max-width:100%;height:auto}
figcaption{color:#555;font-size:.9rem}
dl{display:grid;grid-template-columns:max-content 1fr;gap:.2rem 1rem}
dt{color:#555}
dd{margin:0;overflow-wrap:anywhere}
pre{background:#f6f8fa;padding:.75rem;overflow-x:auto;font-size:.85rem}
@media (max-width:640px){body{font-size:14px}main{padding:.75rem}dl{grid-template-columns:1fr}dd{margin-bottom:.4rem}}
)css";

// Sorting by a column: numbers by their data-v value (an undefined metric,
// data-v="", sorts last both ways), text by locale; Enter or Space on a
// focused header sorts too.
const char* const kScript = R"js(
document.querySelectorAll("table.sortable").forEach(function (table) {
  var headers = table.querySelectorAll("th");
  headers.forEach(function (th, column) {
    th.tabIndex = 0;
    function sort() {
      var body = table.tBodies[0], rows = Array.prototype.slice.call(body.rows);
      var ascending = th.getAttribute("aria-sort") !== "ascending", numeric = th.classList.contains("num");
      headers.forEach(function (h) { h.removeAttribute("aria-sort"); });
      th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
      rows.sort(function (a, b) {
        var x = a.cells[column], y = b.cells[column];
        if (numeric) {
          var u = parseFloat(x.getAttribute("data-v")), v = parseFloat(y.getAttribute("data-v"));
          if (isNaN(u) || isNaN(v)) return isNaN(u) - isNaN(v);
          return ascending ? u - v : v - u;
        }
        var c = x.textContent.localeCompare(y.textContent);
        return ascending ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    }
    th.addEventListener("click", sort);
    th.addEventListener("keydown", function (e) {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); sort(); }
    });
  });
});
)js";

std::string base64(const std::string& bytes) {
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  for (size_t i = 0; i < bytes.size(); i += 3) {
    uint32_t n = static_cast<uint8_t>(bytes[i]) << 16;
    if (i + 1 < bytes.size()) n |= static_cast<uint8_t>(bytes[i + 1]) << 8;
    if (i + 2 < bytes.size()) n |= static_cast<uint8_t>(bytes[i + 2]);
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    out += i + 1 < bytes.size() ? alphabet[(n >> 6) & 63] : '=';
    out += i + 2 < bytes.size() ? alphabet[n & 63] : '=';
  }
  return out;
}

// The Content-Security-Policy's hash of a script: the browser runs the page's
// scripts and nothing else, and loads nothing from anywhere (default-src 'none').
std::string script_hash(const std::string& script) {
  Sha256 hash;
  hash.update(script);
  const std::string hex = hash.hex_digest();
  std::string bytes;
  for (size_t i = 0; i + 1 < hex.size(); i += 2) bytes += static_cast<char>(std::stoi(hex.substr(i, 2), nullptr, 16));
  return "sha256-" + base64(bytes);
}

}  // namespace

std::string html_escape(const std::string& text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

std::string inline_svg(const std::string& svg) {
  const auto start = svg.find("<svg");
  if (start == std::string::npos) throw RuntimeFailure("not an SVG document (no <svg> element)");
  std::string body = svg.substr(start);
  const std::string lower = ascii_lower(body);
  static const std::regex handler(R"(\son[a-z]+\s*=)");
  static const std::regex outside_link(R"(href\s*=\s*["'][^#])");
  if (lower.find("<script") != std::string::npos || lower.find("<foreignobject") != std::string::npos ||
      std::regex_search(lower, handler) || std::regex_search(lower, outside_link))
    throw RuntimeFailure("the SVG holds a script, an event handler or an outside link; refusing to inline it");
  // gnuplot's <title>Gnuplot</title> would be every plot's tooltip.
  const auto title = body.find("<title>");
  const auto title_end = body.find("</title>");
  if (title != std::string::npos && title_end != std::string::npos && title < title_end)
    body.erase(title, title_end + 8 - title);
  return body;
}

HtmlPage::HtmlPage(std::string title) : title_(std::move(title)) {}

void HtmlPage::heading(const std::string& text, int level) {
  const std::string tag = "h" + std::to_string(std::clamp(level, 1, 4));
  body_ += "<" + tag + ">" + html_escape(text) + "</" + tag + ">\n";
}

void HtmlPage::paragraph(const std::string& text) { body_ += "<p>" + html_escape(text) + "</p>\n"; }

void HtmlPage::paragraph_with_emphasis(const std::string& text) {
  std::string html;
  bool strong = false, code = false;
  for (size_t i = 0; i < text.size(); ++i) {
    if (!code && text.compare(i, 2, "**") == 0) {
      html += strong ? "</strong>" : "<strong>";
      strong = !strong;
      ++i;
    } else if (text[i] == '`') {
      html += code ? "</code>" : "<code>";
      code = !code;
    } else {
      html += html_escape(std::string(1, text[i]));
    }
  }
  if (code) html += "</code>";  // an unclosed span ends with the paragraph
  if (strong) html += "</strong>";
  body_ += "<p>" + html + "</p>\n";
}

void HtmlPage::note(const std::string& text) { body_ += "<p class=\"note\">" + html_escape(text) + "</p>\n"; }

void HtmlPage::table(const HtmlTable& table) {
  const auto numeric = [&](size_t c) { return c < table.numeric.size() && table.numeric[c]; };
  std::string html = "<div class=\"scroll\"><table" + std::string(table.sortable ? " class=\"sortable\"" : "") +
                     " id=\"table-" + std::to_string(++tables_) + "\">";
  if (!table.caption.empty()) html += "<caption>" + html_escape(table.caption) + "</caption>";
  html += "<thead><tr>";
  for (size_t c = 0; c < table.header.size(); ++c)
    html += std::string(numeric(c) ? "<th class=\"num\">" : "<th>") + html_escape(table.header[c]) + "</th>";
  html += "</tr></thead><tbody>\n";
  for (size_t r = 0; r < table.rows.size(); ++r) {
    html += "<tr>";
    for (size_t c = 0; c < table.rows[r].size(); ++c) {
      const std::string& text = table.rows[r][c];
      std::string classes = numeric(c) ? "num" : "";
      if (r < table.marked.size() && c < table.marked[r].size() && table.marked[r][c])
        classes += classes.empty() ? "best" : " best";
      html += "<td";
      if (!classes.empty()) html += " class=\"" + classes + "\"";
      const bool keyed = r < table.sort_keys.size() && c < table.sort_keys[r].size() && !table.sort_keys[r][c].empty();
      const std::string& key = keyed ? table.sort_keys[r][c] : text;
      double value = 0;
      if (numeric(c)) html += " data-v=\"" + (parse_number(key, value) ? html_escape(key) : std::string()) + "\"";
      if (r < table.shade.size() && c < table.shade[r].size() && !table.shade[r][c].empty())
        html += " style=\"background:" + html_escape(table.shade[r][c]) + "\"";
      html += ">" + html_escape(text) + "</td>";
    }
    html += "</tr>\n";
  }
  body_ += html + "</tbody></table></div>\n";
}

void HtmlPage::definitions(const std::vector<std::pair<std::string, std::string>>& items) {
  body_ += "<dl>";
  for (const auto& [term, value] : items) body_ += "<dt>" + html_escape(term) + "</dt><dd>" + html_escape(value) + "</dd>";
  body_ += "</dl>\n";
}

void HtmlPage::svg_file(const std::string& path, const std::string& caption) {
  std::string svg = inline_svg(read_file(path));
  // gnuplot names its symbols gpPt0, gpDot, ... in every file: prefixed per
  // plot, so two plots on one page never share an id.
  const std::string prefix = "plot" + std::to_string(++tables_) + "-";
  for (const std::string& from : {std::string("id='"), std::string("id=\""), std::string("href='#"),
                                  std::string("href=\"#")}) {
    const std::string to = from + prefix;
    for (size_t at = svg.find(from); at != std::string::npos; at = svg.find(from, at + to.size()))
      svg.replace(at, from.size(), to);
  }
  body_ += "<figure>" + svg + "<figcaption>" + html_escape(caption) + "</figcaption></figure>\n";
}

void HtmlPage::plot_file(const std::string& png, const std::string& caption) {
  const std::string svg = png.substr(0, png.rfind('.')) + ".svg";
  if (std::filesystem::exists(svg)) {
    svg_file(svg, caption);
    return;
  }
  body_ += "<figure><img alt=\"" + html_escape(caption) + "\" src=\"data:image/png;base64," + base64(read_file(png)) +
           "\"><figcaption>" + html_escape(caption) + "</figcaption></figure>\n";
}

void HtmlPage::markup(const std::string& html) { body_ += html; }

void HtmlPage::script(const std::string& code) {
  if (std::find(scripts_.begin(), scripts_.end(), code) == scripts_.end()) scripts_.push_back(code);
}

void HtmlPage::details(const std::string& summary, const std::string& text) {
  body_ += "<details><summary>" + html_escape(summary) + "</summary><pre>" + html_escape(text) + "</pre></details>\n";
}

std::string HtmlPage::str() const {
  std::string hashes = "'" + script_hash(kScript) + "'", scripts = std::string("<script>") + kScript + "</script>\n";
  for (const auto& code : scripts_) {
    hashes += " '" + script_hash(code) + "'";
    scripts += "<script>" + code + "</script>\n";
  }
  // media-src: the explorer's audio players, files beside the page.
  return "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
         "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'; "
         "img-src data:; media-src file: 'self'; script-src " + hashes + "\">\n"
         "<title>" + html_escape(title_) + "</title>\n<style>" + kStyle + "</style>\n</head>\n<body>\n<main>\n<h1>" +
         html_escape(title_) + "</h1>\n" + body_ + "</main>\n" + scripts + "</body>\n</html>\n";
}

}  // namespace daf
