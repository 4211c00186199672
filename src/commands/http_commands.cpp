// `netius http get|post|put|patch|delete|head|request URL...` — the HTTP client as commands
// (netius' `python -m netius.clients.http` and its get_s/post_s/put_s/delete_s, with curl's
// options and exit codes). CLI adapter only: every command has the same options
// (http_options.cpp) and runner (http_run.cpp over net::http::HttpClient); they differ in
// their method and help.
#include "commands/http_options.hpp"
#include "commands/registry.hpp"

namespace netius::cmd {
namespace {

struct HttpCommand {
    const char* name;
    const char* summary;
    std::optional<std::string> method;  // unset: get's GET-or-POST
    const char* examples;
};

const HttpCommand kCommands[] = {
    {"get", "Fetch URLs (concurrently) to stdout or files", std::nullopt,
     "  netius http get http://127.0.0.1:9090/              # body to stdout\n"
     "  netius http get -o page.html https://example.com/   # atomic file, progress bar\n"
     "  netius http get --json http://a/1 http://a/2        # one JSON object per URL\n"
     "  netius http get -f --retry 3 -O https://example.com/file.tar.gz\n"
     "  netius http get -v https://example.com/a https://example.com/b  # one HTTP/2 "
     "connection\n"},
    {"post", "Send content with POST (curl's -d, --data-binary, --json, -F)", "POST",
     "  netius http post -d name=netius -d lang=c++ http://127.0.0.1:9090/form\n"
     "  netius http post --json '{\"name\": \"netius\"}' https://api.example.com/items\n"
     "  netius http post -F title=cat -F photo=@cat.png https://example.com/upload\n"
     "  tar c dir | netius http post --data-binary @- http://127.0.0.1:9090/backup  # "
     "chunked\n"},
    {"put", "Send content with PUT (a file streamed with --data-binary @FILE)", "PUT",
     "  netius http put --data-binary @disk.img http://127.0.0.1:9090/disk.img\n"
     "  netius http put --json @item.json -f --retry 3 https://api.example.com/items/7\n"},
    {"patch", "Send content with PATCH", "PATCH",
     "  netius http patch --json '{\"done\": true}' https://api.example.com/items/7\n"
     "  netius http patch -H 'Content-Type: application/merge-patch+json' \\\n"
     "      --data-binary @change.json https://api.example.com/items/7\n"},
    {"delete", "Send DELETE (no content unless given)", "DELETE",
     "  netius http delete https://api.example.com/items/7\n"
     "  netius http delete -f --json https://api.example.com/items/7  # result as JSON\n"},
    {"head", "Send HEAD: the status and headers, no content (get -I)", "HEAD",
     "  netius http head -i https://example.com/            # the head on stdout\n"
     "  netius http head -v -f https://example.com/file.tar.gz\n"},
    {"request", "Send any method (-X METHOD, required) with any content", std::nullopt,
     "  netius http request -X OPTIONS -i http://127.0.0.1:9090/\n"
     "  netius http request -X PROPFIND -H 'Depth: 1' --data-binary @body.xml "
     "http://dav.example/\n"},
};

}  // namespace

void register_http_commands(Cli& cli, CLI::App& http) {
    for (const HttpCommand& spec : kCommands) {
        auto o = std::make_shared<HttpOptions>();
        o->command = std::string("http ") + spec.name;
        o->default_method = spec.method;
        o->head = spec.method == "HEAD";
        auto* c = cli.add_command(http, spec.name, spec.summary, [o] { return run_http(*o); });
        add_http_options(*c, o);
        if (std::string_view(spec.name) == "request") c->get_option("-X")->required();
        c->footer(std::string("Examples:\n") + spec.examples + "\n" + kHttpExitStatus);
    }
}

}  // namespace netius::cmd
