#include "commands/http_body.hpp"

#include <algorithm>

#include <nlohmann/json.hpp>

#include "util/error.hpp"

namespace netius::cmd {
namespace {

using net::http::ContentPiece;
using net::http::FormField;

// A -F word: "double-quoted" (backslash escapes the next character) or up to the next ';'.
// Consumes it from `rest`; false for an unterminated quote.
bool take_word(std::string_view& rest, std::string& word) {
    word.clear();
    if (rest.empty() || rest.front() != '"') {
        const std::size_t end = rest.find(';');
        word = rest.substr(0, end);
        rest = end == std::string_view::npos ? std::string_view{} : rest.substr(end);
        return true;
    }
    for (std::size_t i = 1; i < rest.size(); ++i) {
        if (rest[i] == '\\' && i + 1 < rest.size()) {
            word += rest[++i];
        } else if (rest[i] == '"') {
            rest.remove_prefix(i + 1);
            return true;
        } else {
            word += rest[i];
        }
    }
    return false;
}

std::string_view trim_spaces(std::string_view s) {
    while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
    return s;
}

}  // namespace

FormField parse_form(std::string_view arg, bool literal) {
    const char* option = literal ? "--form-string" : "-F";
    const std::size_t eq = arg.find('=');
    if (eq == std::string_view::npos || eq == 0)
        throw UsageError("{} '{}': expected NAME=VALUE", option, arg);
    FormField field;
    field.name = std::string(arg.substr(0, eq));
    std::string_view rest = arg.substr(eq + 1);
    if (literal) {
        field.value = std::string(rest);
        return field;
    }
    if (!rest.empty() && (rest.front() == '@' || rest.front() == '<')) {
        field.source =
            rest.front() == '@' ? FormField::Source::kFile : FormField::Source::kFileContent;
        rest.remove_prefix(1);
    }
    if (!take_word(rest, field.value)) throw UsageError("-F '{}': unterminated '\"'", arg);
    if (field.source != FormField::Source::kText && field.value.empty())
        throw UsageError("-F '{}': no file name after '{}'", arg,
                         field.source == FormField::Source::kFile ? '@' : '<');
    while (!rest.empty()) {  // rest starts with ';'
        rest = trim_spaces(rest.substr(1));
        const std::size_t peq = rest.find('=');
        const std::string_view key = rest.substr(0, std::min(peq, rest.find(';')));
        if (peq == std::string_view::npos || (key != "type" && key != "filename"))
            throw UsageError(
                "-F '{}': unknown parameter ';{}' (quote a value that holds ';': "
                "name=\"a;b\")",
                arg, key);
        rest.remove_prefix(peq + 1);
        std::string value;
        if (!take_word(rest, value)) throw UsageError("-F '{}': unterminated '\"'", arg);
        if (!rest.empty() && rest.front() != ';')
            throw UsageError("-F '{}': unexpected text after a quoted value", arg);
        if (key == "type") {
            if (value.find('/') == std::string::npos)
                throw UsageError("-F '{}': type '{}' is not TYPE/SUBTYPE", arg, value);
            field.content_type = std::move(value);
        } else {
            field.filename = std::move(value);
        }
    }
    return field;
}

bool is_json_content(std::string_view value) {
    if (!value.empty() && value.front() == '@') return true;
    if (value == "true" || value == "false") return false;
    return nlohmann::json::accept(value);
}

bool BodyPlan::streamed() const {
    return std::any_of(pieces.begin(), pieces.end(), [](const auto& p) { return p.file; });
}

bool BodyPlan::reads_stdin() const {
    return std::any_of(pieces.begin(), pieces.end(),
                       [](const auto& p) { return p.file && p.text == "-"; });
}

std::string BodyPlan::text() const {
    std::string out;
    for (const ContentPiece& p : pieces) out += p.text;
    return out;
}

BodyPlan plan_body(const std::vector<BodyArg>& args, std::string_view boundary,
                   const std::function<std::string(const std::string&)>& read) {
    using Kind = BodyArg::Kind;
    BodyPlan plan;
    std::vector<FormField> form;
    bool data = false, json = false;
    int stdin_reads = 0;
    auto add_text = [&](std::string_view text) {
        if (plan.pieces.empty() || plan.pieces.back().file)
            plan.pieces.push_back({std::string(text), false});
        else
            plan.pieces.back().text += text;
    };
    auto add_file = [&](std::string path) {
        stdin_reads += path == "-";
        plan.pieces.push_back({std::move(path), true});
    };
    for (const BodyArg& arg : args) {
        const bool at = !arg.value.empty() && arg.value.front() == '@';
        switch (arg.kind) {
            case Kind::kData:
            case Kind::kBinary:
            case Kind::kRaw:
                if (data) add_text("&");
                data = true;
                if (arg.kind == Kind::kData && at) {
                    stdin_reads += arg.value == "@-";
                    std::string text = read(arg.value.substr(1));
                    std::erase_if(text, [](char c) { return c == '\r' || c == '\n'; });
                    add_text(text);
                } else if (arg.kind == Kind::kBinary && at) {
                    add_file(arg.value.substr(1));
                } else {
                    add_text(arg.value);
                }
                break;
            case Kind::kJson:
                json = true;
                if (at)
                    add_file(arg.value.substr(1));
                else
                    add_text(arg.value);
                break;
            case Kind::kForm:
            case Kind::kFormString:
                form.push_back(parse_form(arg.value, arg.kind == Kind::kFormString));
                stdin_reads +=
                    form.back().source != FormField::Source::kText && form.back().value == "-";
                break;
        }
    }
    if (data + json + !form.empty() > 1)
        throw UsageError(
            "-d/--data*, --json DATA and -F/--form exclude each other: give one kind of content");
    if (stdin_reads > 1) throw UsageError("standard input (@-) can be read only once");
    if (data) {
        plan.kind = BodyPlan::Kind::kData;
        plan.fields = {{"Content-Type", "application/x-www-form-urlencoded"}};
    } else if (json) {
        plan.kind = BodyPlan::Kind::kJson;
        plan.fields = {{"Content-Type", "application/json"}, {"Accept", "application/json"}};
    } else if (!form.empty()) {
        plan.kind = BodyPlan::Kind::kForm;
        plan.pieces = net::http::multipart_content(form, boundary);
        plan.fields = {{"Content-Type", net::http::multipart_content_type(boundary)}};
    }
    return plan;
}

}  // namespace netius::cmd
