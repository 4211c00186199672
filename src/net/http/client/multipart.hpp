#pragma once
// multipart/form-data request content (RFC 7578; the shape browsers and curl's -F send): one
// part per field, each headed by Content-Disposition: form-data with its name (and a filename
// for a file), and a Content-Type for files or when one is given. File content is streamed
// (FileUpload), never read whole, so a form with a large file costs one piece of memory.
//
//     --BOUNDARY\r\n
//     Content-Disposition: form-data; name="photo"; filename="cat.png"\r\n
//     Content-Type: image/png\r\n
//     \r\n
//     <the file's bytes>\r\n
//     --BOUNDARY--\r\n
//
// Pure: the files are opened by open_content() (sequence_upload.hpp).
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "net/http/client/sequence_upload.hpp"

namespace netius::net::http {

struct FormField {
    enum class Source {
        kText,         // value is the content
        kFile,         // value is a path ("-": standard input), sent as a file with a filename
        kFileContent,  // value is a path whose content is the field's text (curl's `<`)
    };
    std::string name;
    std::string value;
    Source source = Source::kText;
    std::optional<std::string> filename;      // kFile: instead of the path's last segment
    std::optional<std::string> content_type;  // instead of the default (see form_part_head)
};

/// The request's Content-Type: "multipart/form-data; boundary=BOUNDARY".
std::string multipart_content_type(std::string_view boundary);

/// The delimiter and head of `field`'s part, up to the empty line. The name and filename are
/// quoted with CR, LF and '"' percent-encoded (the HTML standard's form encoding, curl's since
/// 7.81). A file gets filename= (its path's last segment unless `filename` is set, "-" for
/// standard input) and a Content-Type from its extension (mime_types.hpp, without
/// parameters; application/octet-stream when unknown); other parts get a filename and a
/// Content-Type only when they are set.
std::string form_part_head(std::string_view boundary, const FormField& field);

/// The closing delimiter: "--BOUNDARY--\r\n".
std::string form_closing(std::string_view boundary);

/// The whole content for `fields` with `boundary` (1 to 70 characters of RFC 2046's set, not
/// found in any content: random, as from crypto::random_alnum), in order: delimiters, heads
/// and text values as text, the files (kFile, kFileContent) as paths to stream; adjacent text
/// joined. open_content() makes it an Upload, whose size is known unless a file is a pipe.
std::vector<ContentPiece> multipart_content(const std::vector<FormField>& fields,
                                            std::string_view boundary);

}  // namespace netius::net::http
