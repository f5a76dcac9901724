#pragma once
// The firms the tests run on: snapshot documents, as the Pleo portal exports
// them, kept as data in tests/support/firms/NAME.json.

#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace test_support {

inline std::string firm_file(const std::string& name) {
  const std::string path = std::string(PARTNERBOT_TEST_FIRMS) + "/" + name + ".json";
  std::ifstream in(path, std::ios::binary);
  if (!in) throw std::runtime_error("cannot read the test firm " + path);
  std::ostringstream text;
  text << in.rdbuf();
  auto out = text.str();
  if (out.ends_with('\n')) out.pop_back(); // the file's last line ends; the document does not
  return out;
}

} // namespace test_support
