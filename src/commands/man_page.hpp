#pragma once
// roff man(7) pages generated from the command tree (cli_doc.hpp): netius.1 (overview, global
// options, environment, exit status, busybox links) and netius-<command>.1 for each top-level
// command, with every subcommand, option and positional argument and their help text.
// Output depends only on the tree and NETIUS_VERSION (never the clock), so it is reproducible.
// Pure functions: any thread, no exceptions beyond std::bad_alloc. Pages render with
// `groff -man -ww -z` without warnings.
#include <map>
#include <string>
#include <string_view>

#include "commands/cli_doc.hpp"

namespace netius::cmd {

/// `text` made safe for roff text lines: `\` -> `\e`, `-` -> `\-` (a real minus, so options
/// copy and paste), non-ASCII UTF-8 -> `\[uXXXX]`, and a line starting with `.` or `'` (which
/// roff would read as a request) gets a `\&` in front. Newlines are kept; each line is escaped.
std::string roff_escape(std::string_view text);

/// `text` as one quoted macro argument (`.SS "netius dkim sign"`): escaped, `"` -> `\(dq`,
/// newlines folded into spaces.
std::string roff_quote(std::string_view text);

/// File name -> page for every page of the tree: "netius.1", "netius-dkim.1", ...
std::map<std::string, std::string> man_pages(const CommandDoc& root);

}  // namespace netius::cmd
