#pragma once
// DKIM tag=value lists (RFC 6376 §3.2), the syntax of DKIM-Signature fields and key records.
// Pure (any thread); views point into the parsed text.
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace netius::crypto::dkim {

struct Tag {
    std::string_view name;
    std::string_view value;  // without surrounding whitespace; inner FWS kept as written
};

struct TagList {
    std::vector<Tag> tags;  // in the order written

    /// The value of tag `name` (names are case-sensitive, §3.2), or nullopt.
    std::optional<std::string_view> find(std::string_view name) const;
};

struct TagListError {
    std::string reason;  // e.g. "duplicate tag 'd'"
};

/// Parses a tag-list strictly: tag-spec *(";" tag-spec) [";"], names ALPHA *(ALPHA/DIGIT/"_"),
/// values of VALCHAR (plus UTF-8, RFC 8616 §4) and folding whitespace, no duplicate names,
/// no empty tag-spec. A bare LF counts as CRLF in folds.
std::variant<TagList, TagListError> parse_tag_list(std::string_view text);

/// `value` without any whitespace (CR, LF, SP, HT): for base64 tags (b=, bh=, p=).
std::string strip_whitespace(std::string_view value);

}  // namespace netius::crypto::dkim
