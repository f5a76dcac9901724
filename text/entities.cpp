#include "text/entities.hpp"

namespace text {
namespace {

std::string escaped(std::string_view text, bool quotes) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
    case '&':
      out += "&amp;";
      break;
    case '<':
      out += "&lt;";
      break;
    case '>':
      out += "&gt;";
      break;
    case '"':
      out += quotes ? "&quot;" : "\"";
      break;
    case '\'':
      out += quotes ? "&#39;" : "'";
      break;
    default:
      out += c;
    }
  }
  return out;
}

} // namespace

std::string escape_entities(std::string_view text) {
  return escaped(text, false);
}

std::string escape_html(std::string_view text) {
  return escaped(text, true);
}

} // namespace text
