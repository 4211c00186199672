#include "commands/config_file.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iterator>

#include <nlohmann/json.hpp>

#include "util/error.hpp"

namespace netius::cmd {
namespace {

bool in(const std::vector<CLI::App*>& apps, const CLI::App* app) {
    return std::find(apps.begin(), apps.end(), app) != apps.end();
}

std::string dotted(const std::vector<std::string>& parents, const std::string& name) {
    std::string key;
    for (const auto& p : parents) key += p + ".";
    return key + name;
}

// Adds `values` to an unset option and runs its conversion and checks, as CLI11 does for an
// environment value; `flag_name` is set for TOML keys, whose `no-x = true` means `--no-x`.
void set_option(CLI::Option& option, std::vector<std::string> values, const std::string& where,
                const std::string& flag_name = {}) {
    try {
        if (option.get_expected_min() == 0) {  // a flag takes one value
            if (values.size() != 1) throw UsageError("{}: expects one value", where);
            option.add_result(flag_name.empty() ? values.front()
                                                : option.get_flag_value(flag_name, values.front()));
        } else {
            option.add_result(values);
        }
        option.run_callback();
    } catch (const CLI::Error& e) {
        throw UsageError("{}: {}", where, e.what());
    }
}

// Every section (a command's dotted path) under `app` with a configurable option `name`.
void sections_with(const CLI::App& app, const std::string& name, const std::string& prefix,
                   std::vector<std::string>& out) {
    for (const CLI::App* sub : app.get_subcommands([](const CLI::App*) { return true; })) {
        const std::string path = prefix.empty() ? sub->get_name() : prefix + "." + sub->get_name();
        const CLI::Option* o = sub->get_option_no_throw("--" + name);
        if (o && is_configurable(*o)) out.push_back(path);
        sections_with(*sub, name, path, out);
    }
}

// Levenshtein distance, for suggesting the option a typo meant.
std::size_t distance(std::string_view a, std::string_view b) {
    std::vector<std::size_t> row(b.size() + 1);
    for (std::size_t j = 0; j <= b.size(); ++j) row[j] = j;
    for (std::size_t i = 1; i <= a.size(); ++i) {
        std::size_t diagonal = row[0];
        row[0] = i;
        for (std::size_t j = 1; j <= b.size(); ++j) {
            const std::size_t up = row[j];
            row[j] = std::min({row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] != b[j - 1])});
            diagonal = up;
        }
    }
    return row[b.size()];
}

// What to say after "unknown option 'KEY'": the sections a command option belongs in, or the
// nearest option name of `app` (at most 2 edits away), or nothing.
std::string unknown_hint(const CLI::App& root, const CLI::App* app, const std::string& name) {
    std::vector<std::string> sections;
    sections_with(root, name, "", sections);
    if (!sections.empty()) {
        std::string list;
        for (std::size_t i = 0; i < sections.size() && i < 6; ++i)
            list += (i ? ", [" : "[") + sections[i] + "]";
        if (sections.size() > 6) list += ", ...";
        return fmt::format(": it is an option of a command; put it in its section: {}", list);
    }
    if (!app) return "";
    std::string best;
    std::size_t best_distance = 3;
    for (const CLI::Option* o : app->get_options()) {
        if (!is_configurable(*o) || o->get_lnames().empty()) continue;
        const std::string& candidate = o->get_lnames().front();
        const std::size_t d = distance(name, candidate);
        if (d < best_distance) {
            best = candidate;
            best_distance = d;
        }
    }
    return best.empty() ? "" : fmt::format(" (did you mean '{}'?)", best);
}

std::map<const CLI::Option*, TableForm>& table_forms() {
    static std::map<const CLI::Option*, TableForm> forms;
    return forms;
}

// The table being read: `[[serve.proxy.route]]` is --route of serve proxy.
struct Table {
    std::vector<std::string> parents;
    CLI::App* app = nullptr;
    CLI::Option* option = nullptr;
    std::map<std::string, std::vector<std::string>> keys;
};

// Whether `parents` names a table (its last element an option with a table form of the
// command the others name); if so `out` is a new one.
bool table_of(CLI::App& root, const std::vector<std::string>& parents, Table& out) {
    if (parents.empty()) return false;
    CLI::App* app = &root;
    try {
        for (std::size_t i = 0; i + 1 < parents.size(); ++i) app = app->get_subcommand(parents[i]);
    } catch (const CLI::OptionNotFound&) {
        return false;
    }
    CLI::Option* option = app->get_option_no_throw("--" + parents.back());
    if (!option || !table_forms().contains(option)) return false;
    out = Table{parents, app, option, {}};
    return true;
}

// The TOML items, each checked against the whole tree; those of the chosen commands applied.
void apply_toml(CLI::App& root, const std::vector<CLI::App*>& chosen, const std::string& path,
                FileValues& applied) {
    if (!std::filesystem::is_regular_file(path))
        throw UsageError("--config {}: no such file", path);
    std::vector<CLI::ConfigItem> items;
    try {
        items = CLI::ConfigTOML().from_file(path);
    } catch (const CLI::Error& e) {
        throw UsageError("--config {}: {}", path, e.what());
    }
    // Tables are turned into values as they close (CLI11 ends each section with "--") and
    // applied after the keys, so that `route = [...]` and tables add up.
    Table table;  // open while table.option is set
    struct Values {
        CLI::App* app = nullptr;
        std::string section;  // "serve.proxy.route"
        std::vector<std::string> values;
    };
    std::map<CLI::Option*, Values> tables;
    auto close_table = [&] {
        if (!table.option) return;
        Values& v = tables[table.option];
        v.app = table.app;
        const std::vector<std::string> up(table.parents.begin(), table.parents.end() - 1);
        v.section = dotted(up, table.parents.back());
        try {
            v.values.push_back(table_forms().at(table.option)(table.keys));
        } catch (const UsageError& e) {
            throw UsageError("--config {}: [[{}]] number {}: {}", path, v.section,
                             v.values.size() + 1, e.what());
        }
        table = Table{};
    };
    for (const auto& item : items) {
        if (item.name == "++") continue;  // section open marker
        if (item.name == "--") {          // ... and close
            if (table.option && item.parents == table.parents) close_table();
            continue;
        }
        if (table.option && item.parents == table.parents) {
            table.keys[item.name] = item.inputs;
            continue;
        }
        if (Table t; table_of(root, item.parents, t)) {
            close_table();
            table = std::move(t);
            table.keys[item.name] = item.inputs;
            continue;
        }
        const std::string key = dotted(item.parents, item.name);
        CLI::App* app = &root;
        CLI::Option* option = nullptr;
        bool section_found = false;
        try {
            for (const auto& p : item.parents) app = app->get_subcommand(p);
            section_found = true;
            option = app->get_option_no_throw("--" + item.name);
        } catch (const CLI::OptionNotFound&) {
            option = nullptr;
        }
        if (!option || !is_configurable(*option)) {
            // A section that names no command has no nearest option to offer.
            throw UsageError("--config {}: unknown option '{}'{}", path, key,
                             unknown_hint(root, section_found ? app : nullptr, item.name));
        }
        if (!in(chosen, app) || option->count() > 0) continue;
        set_option(*option, item.inputs, fmt::format("--config {}: {}", path, key), item.name);
        applied[option] = Source::ConfigFile;
    }
    close_table();
    for (auto& [option, v] : tables) {
        const bool from_here = applied.contains(option);  // `NAME = [...]` in this file
        if (!in(chosen, v.app) || (option->count() > 0 && !from_here)) continue;
        set_option(*option, std::move(v.values),
                   fmt::format("--config {}: [[{}]]", path, v.section));
        applied[option] = Source::ConfigFile;
    }
}

// One netius.json value as option inputs: text as it is, numbers and booleans as JSON writes
// them, lists element by element (joined with ';' for an option taking one value).
std::vector<std::string> json_inputs(const nlohmann::json& value, const CLI::Option& option,
                                     const std::string& where) {
    auto scalar = [&where](const nlohmann::json& v) {
        if (v.is_string()) return v.get<std::string>();
        if (v.is_number() || v.is_boolean()) return v.dump();
        throw UsageError("{}: expected text, a number, a boolean or a list of them", where);
    };
    if (!value.is_array()) return {scalar(value)};
    std::vector<std::string> inputs;
    std::transform(value.begin(), value.end(), std::back_inserter(inputs), scalar);
    if (option.get_items_expected_max() > 1 || inputs.empty()) return inputs;
    std::string joined;
    for (const auto& s : inputs) joined += (joined.empty() ? "" : ";") + s;
    return {joined};
}

void apply_json(const std::vector<CLI::App*>& chosen, const std::string& path,
                FileValues& applied) {
    std::ifstream in(path);
    if (!in) return;  // netius: a missing file is no error
    nlohmann::json doc;
    try {
        doc = nlohmann::json::parse(in);
    } catch (const nlohmann::json::exception& e) {
        throw UsageError("{}: {}", path, e.what());
    }
    if (!doc.is_object()) throw UsageError("{}: expected one JSON object", path);
    for (CLI::App* app : chosen) {
        for (CLI::Option* option : app->get_options()) {
            const std::string& env = option->get_envname();
            if (env.empty() || option->count() > 0 || !is_configurable(*option)) continue;
            auto it = doc.find(env);
            if (it == doc.end() || it->is_null()) continue;
            const std::string where = fmt::format("{}: {}", path, env);
            std::vector<std::string> inputs = json_inputs(*it, *option, where);
            if (inputs.empty()) continue;
            set_option(*option, std::move(inputs), where);
            applied[option] = Source::NetiusJson;
        }
    }
}

}  // namespace

void set_table_form(const CLI::Option& option, TableForm form) {
    table_forms()[&option] = std::move(form);
}

std::string_view source_name(Source source) {
    switch (source) {
        case Source::Flag:
            return "flag";
        case Source::Environment:
            return "env";
        case Source::ConfigFile:
            return "config";
        case Source::NetiusJson:
            return "json";
        case Source::Default:
            break;
    }
    return "default";
}

std::vector<CLI::App*> chosen_commands(CLI::App& root) {
    std::vector<CLI::App*> chain{&root};
    for (;;) {
        auto subs = chain.back()->get_subcommands();
        if (subs.empty()) return chain;
        chain.push_back(subs.front());
    }
}

bool is_configurable(const CLI::Option& option) {
    const auto& names = option.get_lnames();
    if (names.empty() || !option.get_configurable()) return false;
    for (const char* own : {"help", "help-all", "version", "config"})
        if (std::find(names.begin(), names.end(), own) != names.end()) return false;
    return true;
}

FileValues apply_config_files(CLI::App& root, const std::string& config_path,
                              const std::string& json_path) {
    const std::vector<CLI::App*> chosen = chosen_commands(root);
    FileValues applied;
    if (!config_path.empty()) apply_toml(root, chosen, config_path, applied);
    apply_json(chosen, json_path, applied);
    return applied;
}

}  // namespace netius::cmd
