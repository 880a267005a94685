#pragma once
// HttpRequest and HttpResponse: what HttpServer hands a route and what the
// route gives back. Plain data, no Beast types, so callers (tools/dashboard)
// build without Beast's headers.
#include <optional>
#include <string>
#include <string_view>

namespace tessera::net {

struct HttpRequest {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as sent: "/info/task/inc-1?x=1"
  std::string path;    // the target before '?', percent-decoded
  std::string query;   // the target after '?', as sent
  std::string body;

  /// The value of `name` in the query string (percent-decoded), if present.
  std::optional<std::string> query_param(std::string_view name) const;
};

struct HttpResponse {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;

  static HttpResponse text(int status, std::string body);
  static HttpResponse json(std::string body, int status = 200);
  static HttpResponse html(std::string body, int status = 200);
};

/// Decodes %XX escapes and '+' (as a space only when `plus_is_space`).
/// A malformed escape is kept as is: a path is never refused for it.
std::string percent_decode(std::string_view text, bool plus_is_space = false);

/// The standard reason phrase for a status code ("Not Found"); "Unknown" otherwise.
std::string_view http_reason(int status) noexcept;

}  // namespace tessera::net
