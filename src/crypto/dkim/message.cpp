#include "crypto/dkim/message.hpp"

#include "util/error.hpp"

namespace netius::crypto::dkim {

namespace {

bool is_wsp(char c) {
    return c == ' ' || c == '\t';
}

// RFC 5322 §3.6.8: ftext = %d33-57 / %d59-126 (printable ASCII except the colon).
bool is_ftext(char c) {
    auto u = static_cast<unsigned char>(c);
    return u >= 33 && u <= 126 && c != ':';
}

HeadersResult parse_impl(std::string_view input, HeaderSection& out, const MessageLimits& limits,
                         bool at_eof) {
    out.fields.clear();
    out.line_ending = LineEnding::Crlf;
    std::size_t pos = 0;
    std::size_t line_no = 1;
    bool first_line = true;
    std::size_t field_start = 0;  // offset of the current field's name
    std::size_t colon = 0;        // offset of its colon
    std::size_t prev_end = 0;     // where the previous line's content ended

    auto finish_field = [&](std::size_t end) {
        if (out.fields.empty()) return;
        HeaderField& f = out.fields.back();
        f.raw = input.substr(field_start, end - field_start);
        f.value = input.substr(colon + 1, end - colon - 1);
    };

    for (;; ++line_no) {
        std::size_t nl = input.find('\n', pos);
        std::size_t next;  // offset after this line's ending
        std::size_t end;   // offset of this line's ending (content end)
        if (nl == std::string_view::npos) {
            if (input.size() > limits.max_header_bytes)
                return HeadersError{line_no, "header section too large"};
            if (!at_eof) return HeadersIncomplete{};
            if (pos == input.size()) {  // the input ended right after a line ending
                finish_field(prev_end);
                return HeadersComplete{input.size()};
            }
            end = next = input.size();
        } else {
            end = nl > pos && input[nl - 1] == '\r' ? nl - 1 : nl;
            next = nl + 1;
            if (next > limits.max_header_bytes)
                return HeadersError{line_no, "header section too large"};
            if (first_line) out.line_ending = end == nl ? LineEnding::Lf : LineEnding::Crlf;
        }
        first_line = false;
        std::string_view line = input.substr(pos, end - pos);

        if (line.empty() && next != end) {  // the empty line that ends the header section
            finish_field(prev_end);
            return HeadersComplete{next};
        }
        if (!line.empty() && is_wsp(line.front())) {  // a continuation of the current field
            if (out.fields.empty())
                return HeadersError{line_no, "continuation line before the first header field"};
        } else if (!line.empty()) {
            finish_field(prev_end);
            std::size_t c = line.find(':');
            if (c == std::string_view::npos)
                return HeadersError{line_no, "header line without a colon"};
            std::string_view name = line.substr(0, c);
            while (!name.empty() && is_wsp(name.back())) name.remove_suffix(1);  // obs-optional
            if (name.empty()) return HeadersError{line_no, "empty header field name"};
            for (char ch : name)
                if (!is_ftext(ch))
                    return HeadersError{line_no, "invalid character in a header field name"};
            if (out.fields.size() >= limits.max_fields)
                return HeadersError{line_no, "too many header fields"};
            field_start = pos;
            colon = pos + c;
            out.fields.push_back(HeaderField{name, {}, {}, line_no});
        }
        if (next == input.size() && nl == std::string_view::npos) {  // last line, no ending
            finish_field(end);
            return HeadersComplete{input.size()};
        }
        prev_end = end;
        pos = next;
    }
}

}  // namespace

std::string_view line_ending_text(LineEnding eol) {
    return eol == LineEnding::Lf ? "\n" : "\r\n";
}

HeadersResult parse_header_section(std::string_view input, HeaderSection& out,
                                   const MessageLimits& limits) {
    return parse_impl(input, out, limits, false);
}

Message parse_message(std::string_view data, const MessageLimits& limits) {
    Message m;
    HeadersResult r = parse_impl(data, m.headers, limits, true);
    if (auto* e = std::get_if<HeadersError>(&r)) {
        if (e->reason == "too many header fields")
            throw Error("line {}: more than {} header fields", e->line, limits.max_fields);
        if (e->reason == "header section too large")
            throw Error("line {}: header section larger than {} bytes", e->line,
                        limits.max_header_bytes);
        throw Error("line {}: {}", e->line, e->reason);
    }
    m.body = data.substr(std::get<HeadersComplete>(r).consumed);
    return m;
}

}  // namespace netius::crypto::dkim
