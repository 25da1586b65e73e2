// report/html_page: escaping, the SVG a page accepts inline, table markup.
#include "catch.h"

#include "daf/report/html_page.h"
#include "daf/report/markdown_html.h"
#include "daf/util/atomic_file.h"
#include "daf/util/error.h"
#include "test_helpers.h"

using Catch::Matchers::ContainsSubstring;

TEST_CASE("html_escape leaves no markup", "[report][html]") {
  CHECK(daf::html_escape("a < b && c > \"d\" 'e'") == "a &lt; b &amp;&amp; c &gt; &quot;d&quot; &#39;e&#39;");
  CHECK(daf::html_escape("</script><img src=x onerror=alert(1)>") ==
        "&lt;/script&gt;&lt;img src=x onerror=alert(1)&gt;");
  CHECK(daf::html_escape("naïve — 中文") == "naïve — 中文");  // UTF-8 passes through
}

TEST_CASE("a page escapes every text and table cell", "[report][html]") {
  daf::HtmlPage page("title </title><script>x()</script>");
  page.paragraph("<b>bold?</b>");
  daf::HtmlTable table;
  table.header = {"name<", "value"};
  table.numeric = {false, true};
  table.rows = {{"<img src=x onerror=y()>", "0.5"}, {"b", "undefined"}};
  table.shade = {{"", "red\" onmouseover=\"z()"}, {}};
  page.table(table);
  const std::string html = page.str();
  CHECK(html.find("<script>x()") == std::string::npos);
  CHECK(html.find("<img") == std::string::npos);
  CHECK(html.find("<b>") == std::string::npos);
  CHECK(html.find("onmouseover=\"") == std::string::npos);
  CHECK_THAT(html, ContainsSubstring("<td class=\"num\" data-v=\"0.5\" style=\"background:red&quot; "
                                     "onmouseover=&quot;z()\">0.5</td>"));
  CHECK_THAT(html, ContainsSubstring("<td class=\"num\" data-v=\"\">undefined</td>"));  // sorts last
  CHECK_THAT(html, ContainsSubstring("<th>name&lt;</th>"));
  // One script, the page's own, and a policy that loads nothing from anywhere.
  CHECK_THAT(html, ContainsSubstring("default-src 'none'"));
  CHECK_THAT(html, ContainsSubstring("script-src 'sha256-"));
}

TEST_CASE("inline SVG: the prolog goes, anything that could run is refused", "[report][html]") {
  const std::string svg = "<?xml version=\"1.0\"?>\n<!DOCTYPE svg>\n<svg viewBox='0 0 1 1'><title>Gnuplot</title>"
                          "<use xlink:href='#gpPt1'/></svg>";
  CHECK(daf::inline_svg(svg) == "<svg viewBox='0 0 1 1'><use xlink:href='#gpPt1'/></svg>");
  CHECK_THROWS_AS(daf::inline_svg("<svg><script>x()</script></svg>"), daf::RuntimeFailure);
  CHECK_THROWS_AS(daf::inline_svg("<svg><rect onload='x()'/></svg>"), daf::RuntimeFailure);
  CHECK_THROWS_AS(daf::inline_svg("<svg><image href='http://example.org/a.png'/></svg>"), daf::RuntimeFailure);
  CHECK_THROWS_AS(daf::inline_svg("<svg><foreignObject></foreignObject></svg>"), daf::RuntimeFailure);
  CHECK_THROWS_AS(daf::inline_svg("not svg"), daf::RuntimeFailure);
}

TEST_CASE("two inline plots on one page share no id", "[report][html]") {
  daf::test::TempDir dir;
  const std::string svg = "<svg><defs><path id='gpPt1'/></defs><use xlink:href='#gpPt1'/><g id=\"gnuplot_canvas\"/></svg>";
  daf::write_file_atomic(dir.file("a.svg"), svg);
  daf::HtmlPage page("plots");
  page.svg_file(dir.file("a.svg"), "first");
  page.svg_file(dir.file("a.svg"), "second");
  const std::string html = page.str();
  CHECK_THAT(html, ContainsSubstring("id='plot1-gpPt1'"));
  CHECK_THAT(html, ContainsSubstring("href='#plot1-gpPt1'"));
  CHECK_THAT(html, ContainsSubstring("id='plot2-gpPt1'"));
  CHECK_THAT(html, ContainsSubstring("href='#plot2-gpPt1'"));
  CHECK_THAT(html, ContainsSubstring("id=\"plot2-gnuplot_canvas\""));
}

TEST_CASE("daf's Markdown becomes headings, sortable tables, plots and escaped paragraphs", "[report][html]") {
  daf::test::TempDir dir;
  daf::write_file_atomic(dir.file("m.svg"), "<?xml version='1.0'?><svg><rect id='gpDot'/></svg>");
  daf::write_file_atomic(dir.file("m.png"), "PNG");
  const std::string md =
      "# daf-ablate: x\n\n3 conditions, `runs.csv` and **bold** <b>not a tag</b>\n\n"
      "## Test metrics\n\n"
      "| condition | seeds | MAE             | note \\| bar |\n"
      "|-----------|-------|-----------------|-------------|\n"
      "| dynamic   | 3     | **0.5000 ± 0.0100** | a |\n"
      "| static    | 3     | 0.6000 (one value) | b |\n"
      "| text      | 3     | n/a             | c |\n\n"
      "![MAE per condition](m.png)\n![gone](missing.png)\n";
  daf::HtmlPage page("t");
  daf::append_markdown(page, md, dir.path());
  const std::string html = page.str();
  CHECK(html.find("<h1>daf-ablate: x</h1>") == std::string::npos);  // the page has its own title
  CHECK_THAT(html, ContainsSubstring("<h2>Test metrics</h2>"));
  CHECK_THAT(html, ContainsSubstring("<p>3 conditions, <code>runs.csv</code> and <strong>bold</strong> &lt;b&gt;not a "
                                     "tag&lt;/b&gt;</p>"));
  CHECK_THAT(html, ContainsSubstring("<th>note | bar</th>"));
  CHECK_THAT(html, ContainsSubstring("<td class=\"num best\" data-v=\"0.5000\">0.5000 ± 0.0100</td>"));
  CHECK_THAT(html, ContainsSubstring("<td class=\"num\" data-v=\"0.6000\">0.6000 (one value)</td>"));
  CHECK_THAT(html, ContainsSubstring("<td class=\"num\" data-v=\"\">n/a</td>"));
  CHECK_THAT(html, ContainsSubstring("<td class=\"num\" data-v=\"3\">3</td>"));
  CHECK_THAT(html, ContainsSubstring("<td>a</td>"));  // not every cell a number: a text column
  CHECK_THAT(html, ContainsSubstring("<svg><rect id='plot2-gpDot'/></svg><figcaption>MAE per condition"));
  CHECK_THAT(html, ContainsSubstring("Plot missing.png is missing."));
}
