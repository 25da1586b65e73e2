// The readers every tool shares: RFC 4180 CSV, JSON Lines objects, and path checks.
// Expected values are worked by hand and agree with Python's csv and json modules
// (the comments give what they return for the same text).
#include "catch.h"

#include <filesystem>
#include <functional>
#include <fstream>

#include "daf/util/csv.h"
#include "daf/util/error.h"
#include "daf/util/json_line.h"
#include "daf/util/paths.h"
#include "test_helpers.h"

using Catch::Matchers::ContainsSubstring;
using daf::test::TempDir;

namespace {

std::string message_of(const std::function<void()>& body) {
  try {
    body();
  } catch (const daf::InputError& e) {
    return e.what();
  }
  return "(no InputError)";
}

}  // namespace

TEST_CASE("CSV: quoted fields span lines, doubled quotes, CRLF, as Python's csv.reader reads them", "[util][csv]") {
  // csv.reader(io.StringIO(text, newline="")) gives
  // [['id', 'text'], ['u1', 'good\nmovie'], ['u2', 'say "hi"']]
  const auto table = daf::parse_csv("id,text\r\nu1,\"good\nmovie\"\r\nu2,\"say \"\"hi\"\"\"\r\n", "m.csv");
  REQUIRE(table.header == std::vector<std::string>{"id", "text"});
  REQUIRE(table.rows.size() == 2);
  CHECK(table.rows[0] == std::vector<std::string>{"u1", "good\nmovie"});
  CHECK(table.rows[1] == std::vector<std::string>{"u2", "say \"hi\""});
  CHECK(table.lines == std::vector<size_t>{2, 4});  // the second row starts after the quoted line break

  // [['a', 'b'], ['x"y', 'z'], ['abc', 'd']]: a quote inside an unquoted field is a character.
  const auto loose = daf::parse_csv("a,b\nx\"y,z\n\"ab\"c,d\n", "l.csv");
  CHECK(loose.rows[0] == std::vector<std::string>{"x\"y", "z"});
  CHECK(loose.rows[1] == std::vector<std::string>{"abc", "d"});
  // [['a', 'b'], ['c', 'd']]: old Mac line ends.
  CHECK(daf::parse_csv("a,b\rc,d\r", "r.csv").rows[0] == std::vector<std::string>{"c", "d"});
  // A byte-order mark and empty lines are dropped; a quoted comma stays in its field.
  const auto bom = daf::parse_csv("\xEF\xBB\xBFid,x\n\n\"1,5\",2\n", "b.csv");
  CHECK(bom.header[0] == "id");
  CHECK(bom.rows[0] == std::vector<std::string>{"1,5", "2"});
  CHECK(bom.lines[0] == 3);
}

TEST_CASE("CSV: an unclosed quote names the line it opened on, a short row names its line", "[util][csv]") {
  CHECK_THAT(message_of([] { daf::parse_csv("id,text\nu1,ok\nu2,\"never closed\nu3,x\n", "m.csv"); }),
             ContainsSubstring("m.csv:3: a quoted field opened on this line is never closed"));
  CHECK_THAT(message_of([] { daf::parse_csv("id,text,split\nu1,\"a\nb\",train\nu2,x\n", "m.csv"); }),
             ContainsSubstring("m.csv:4: the row has 2 fields, the header has 3"));
  CHECK_THAT(message_of([] { daf::parse_csv("", "e.csv"); }), ContainsSubstring("e.csv: empty CSV file"));
}

TEST_CASE("CSV: what csv_field writes reads back unchanged", "[util][csv]") {
  const std::vector<std::string> values = {"plain", "a,b", "say \"x\"", "two\nlines", "cr\rlf\r\n", ""};
  std::string text = "v\n";
  for (const auto& v : values) text += daf::csv_field(v) + "\n";
  const auto table = daf::parse_csv(text, "round.csv");
  // The empty value is an empty line, which is skipped.
  REQUIRE(table.rows.size() == values.size() - 1);
  for (size_t i = 0; i + 1 < values.size(); ++i) CHECK(table.rows[i][0] == values[i]);
}

TEST_CASE("JSON Lines: what Python's json.dumps writes by default, surrogate pairs included", "[util][json]") {
  // json.dumps({"id": "e", "text": "I love it \U0001F600"})
  const auto fields = daf::parse_json_object_line(R"({"id": "e", "text": "I love it \ud83d\ude00"})", "in:1");
  REQUIRE(fields.size() == 2);
  CHECK(fields[0].first == "id");
  CHECK(fields[1].second.text == "I love it \xF0\x9F\x98\x80");
  CHECK(fields[1].second.is_string);
  // A ZWJ family and an astral CJK ideograph (U+20000).
  const auto zwj = daf::parse_json_object_line(R"({"t": "\ud83d\udc68\u200d\ud83d\udc69\u200d\ud83d\udc67 \ud840\udc00"})", "in:2");
  CHECK(zwj[0].second.text == "\xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9\xE2\x80\x8D\xF0\x9F\x91\xA7 \xF0\xA0\x80\x80");
  // Numbers keep their text; null is empty and marked.
  const auto numbers = daf::parse_json_object_line(R"({"start": 1.5, "end": 2, "x": null, "b": true})", "in:3");
  CHECK(numbers[0].second.text == "1.5");
  CHECK(numbers[1].second.text == "2");
  CHECK(numbers[2].second.is_null);
  CHECK(numbers[3].second.text == "true");
}

TEST_CASE("JSON Lines: errors say JSON, with the line and the column", "[util][json]") {
  // A lone high surrogate.
  CHECK_THAT(message_of([] { daf::parse_json_object_line(R"({"id": "e", "text": "\ud83d"})", "standard input:4"); }),
             ContainsSubstring("standard input:4:") && ContainsSubstring("not valid JSON") && ContainsSubstring("surrogate"));
  const std::string bad = message_of([] { daf::parse_json_object_line(R"({"id": "a", "text": x})", "in:2"); });
  CHECK_THAT(bad, ContainsSubstring("in:2:21: not valid JSON"));  // the column where the parser stopped, after the 'x' at 20
  CHECK_THAT(bad, !ContainsSubstring("YAML"));
  CHECK_THAT(message_of([] { daf::parse_json_object_line(R"({"id": "a", "id": "b"})", "in:3"); }),
             ContainsSubstring("in:3: key 'id' appears twice"));
  CHECK_THAT(message_of([] { daf::parse_json_object_line(R"({"id": ["a"]})", "in:4"); }),
             ContainsSubstring("in:4: 'id': expected a string or number, found an array"));
  CHECK_THAT(message_of([] { daf::parse_json_object_line(R"(["a"])", "in:5"); }),
             ContainsSubstring("in:5: expected a JSON object, found an array"));
  CHECK_THAT(message_of([] { daf::parse_json_object_line(R"({"id": "a"} {"id": "b"})", "in:6"); }),
             ContainsSubstring("in:6:13: not valid JSON"));
}

TEST_CASE("paths: a directory is named as one, and an output that is an input is refused, links resolved", "[util]") {
  TempDir dir;
  CHECK(daf::file_problem(dir.path()) == "is a directory, expected a file");
  CHECK(daf::file_problem(dir.file("absent")) == "file not found");
  CHECK_THAT(message_of([&] { daf::require_file(dir.path(), "text.vocab"); }),
             ContainsSubstring("text.vocab: " + dir.path() + ": is a directory"));
  std::ofstream(dir.file("model.pt")) << "weights";
  std::filesystem::create_directories(dir.file("sub"));
  std::filesystem::create_symlink(dir.file("model.pt"), dir.file("link.pt"));
  CHECK(daf::same_file(dir.file("link.pt"), dir.file("model.pt")));
  CHECK(daf::same_file(dir.file("sub/../model.pt"), dir.file("model.pt")));
  CHECK_FALSE(daf::same_file(dir.file("new.pt"), dir.file("model.pt")));
  const auto run_files = daf::files_under(dir.path());
  CHECK_THAT(message_of([&] { daf::refuse_output_over_inputs(dir.file("link.pt"), run_files, "--out"); }),
             ContainsSubstring("--out " + dir.file("link.pt") + " is " + dir.file("model.pt") + ", one of its inputs"));
  CHECK_NOTHROW(daf::refuse_output_over_inputs(dir.file("head.pt"), run_files, "--out"));
}
