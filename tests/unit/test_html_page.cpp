// report/html_page: escaping, the SVG a page accepts inline, table markup.
#include "catch.h"

#include "daf/report/html_page.h"
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
