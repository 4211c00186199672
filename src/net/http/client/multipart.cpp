#include "net/http/client/multipart.hpp"

#include "net/http/static/mime_types.hpp"

namespace netius::net::http {
namespace {

// A quoted-string parameter value as the HTML standard encodes form names and filenames.
std::string quoted(std::string_view text) {
    std::string out = "\"";
    for (char c : text) {
        if (c == '\r')
            out += "%0D";
        else if (c == '\n')
            out += "%0A";
        else if (c == '"')
            out += "%22";
        else
            out += c;
    }
    return out + "\"";
}

std::string_view last_segment(std::string_view path) {
    const std::size_t slash = path.rfind('/');
    return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace

std::string multipart_content_type(std::string_view boundary) {
    return "multipart/form-data; boundary=" + std::string(boundary);
}

std::string form_part_head(std::string_view boundary, const FormField& field) {
    std::string head = "--" + std::string(boundary) + "\r\n";
    head += "Content-Disposition: form-data; name=" + quoted(field.name);
    std::optional<std::string> filename = field.filename;
    if (!filename && field.source == FormField::Source::kFile)
        filename = std::string(last_segment(field.value));
    if (filename) head += "; filename=" + quoted(*filename);
    head += "\r\n";
    std::string_view type;
    if (field.content_type)
        type = *field.content_type;
    else if (field.source == FormField::Source::kFile)
        type = media_type_of(content_type_for(*filename));
    if (!type.empty()) head.append("Content-Type: ").append(type).append("\r\n");
    return head + "\r\n";
}

std::string form_closing(std::string_view boundary) {
    return "--" + std::string(boundary) + "--\r\n";
}

std::vector<ContentPiece> multipart_content(const std::vector<FormField>& fields,
                                            std::string_view boundary) {
    std::vector<ContentPiece> pieces;
    std::string text;  // heads and text values gathered until the next file
    for (const FormField& field : fields) {
        text += form_part_head(boundary, field);
        if (field.source == FormField::Source::kText) {
            text += field.value;
        } else {
            pieces.push_back({std::move(text), false});
            pieces.push_back({field.value, true});
            text.clear();
        }
        text += "\r\n";
    }
    text += form_closing(boundary);
    pieces.push_back({std::move(text), false});
    return pieces;
}

}  // namespace netius::net::http
