#pragma once
// The request content of `netius http post|put|...` from curl's body options: -d/--data,
// --data-binary, --data-raw, --json DATA and -F/--form, --form-string, read in command-line
// order and turned into text or into pieces streamed from files (net/http/client/
// sequence_upload.hpp). Pure apart from the reader given for `-d @FILE`; main thread.
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "net/http/client/multipart.hpp"
#include "net/http/client/sequence_upload.hpp"

namespace netius::cmd {

/// One body option as given.
struct BodyArg {
    enum class Kind {
        kData,        // -d/--data: DATA, or @FILE read whole with CR and LF dropped (curl)
        kBinary,      // --data-binary: DATA, or @FILE streamed as it is (@-: standard input)
        kRaw,         // --data-raw: DATA as it is, '@' included
        kJson,        // --json: DATA, or @FILE streamed; pieces are concatenated
        kForm,        // -F/--form: curl's NAME=VALUE|@FILE|<FILE[;type=..][;filename=..]
        kFormString,  // --form-string: NAME=VALUE, the value as it is
    };
    Kind kind;
    std::string value;
    bool operator==(const BodyArg&) const = default;
};

/// A -F argument as curl reads it: NAME=VALUE (text), NAME=@PATH (a file part, with a
/// filename), NAME=<PATH (the file's content as text); the value or path may be
/// "double-quoted" (backslash escapes '"' and '\') to hold ';'; then ;type=MEDIA/TYPE and
/// ;filename=NAME parameters. `literal` (--form-string): the whole value is text. Throws
/// netius::UsageError naming the argument when it has no '=', an empty path, an unknown
/// parameter or a type without '/'.
net::http::FormField parse_form(std::string_view arg, bool literal);

/// Whether --json's value is request content (JSON text that is not a bare true/false, or
/// @FILE / @-) rather than the URL that follows a --json meaning "print JSON results".
bool is_json_content(std::string_view value);

/// What the body options make.
struct BodyPlan {
    enum class Kind { kNone, kData, kJson, kForm } kind = Kind::kNone;
    /// The content in order; adjacent text joined (one text piece: send it as the body).
    std::vector<net::http::ContentPiece> pieces;
    /// The fields the content brings, each replaced by a user's -H of the same name:
    /// Content-Type (application/x-www-form-urlencoded, application/json or
    /// multipart/form-data with the boundary) and, for --json, Accept: application/json.
    std::vector<std::pair<std::string, std::string>> fields;

    bool empty() const { return kind == Kind::kNone; }
    /// Whether some content comes from a file as it is sent (an Upload is needed).
    bool streamed() const;
    /// Whether standard input is one of those files.
    bool reads_stdin() const;
    /// The whole content when it is all text.
    std::string text() const;
};

/// Plans the content of `args` (in command-line order): data options joined with '&' (curl),
/// --json pieces concatenated, -F fields as multipart/form-data delimited by `boundary`.
/// `read(path)` reads -d @FILE whole ("-": standard input). Throws netius::UsageError when
/// data options, --json and -F are mixed, when standard input is named twice, or for a bad
/// -F argument; what `read` throws.
BodyPlan plan_body(const std::vector<BodyArg>& args, std::string_view boundary,
                   const std::function<std::string(const std::string&)>& read);

}  // namespace netius::cmd
