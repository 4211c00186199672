#pragma once
// The options every `netius http` command shares (get, post, put, patch, delete, head,
// request): one registration, so they are spelt, documented and completed the same way.
#include <memory>

#include "commands/cli.hpp"
#include "commands/http_run.hpp"

namespace netius::cmd {

/// Adds the URL argument and every option of `o` to `command`. The body options keep their
/// command-line order in o->body; `--json` alone, or followed by something that is not JSON
/// content (is_json_content), prints results as JSON and leaves that word a URL. Main
/// thread, while the command tree is built.
void add_http_options(CLI::App& command, const std::shared_ptr<HttpOptions>& o);

/// The exit status list each command's --help ends with.
extern const char* const kHttpExitStatus;

}  // namespace netius::cmd
