#include "util/logging.hpp"

#include "util/ascii.hpp"

#include <spdlog/pattern_formatter.h>
#include <spdlog/sinks/stdout_sinks.h>
#include <spdlog/spdlog.h>

#include <array>
#include <string>

namespace netius {
namespace {

struct LevelName {
    std::string_view name;
    spdlog::level::level_enum level;
};

constexpr std::array<LevelName, 7> kLevels{{
    {"TRACE", spdlog::level::trace},
    {"DEBUG", spdlog::level::debug},
    {"INFO", spdlog::level::info},
    {"WARNING", spdlog::level::warn},
    {"ERROR", spdlog::level::err},
    {"CRITICAL", spdlog::level::critical},
    {"SILENT", spdlog::level::off},
}};

// Prints the netius spelling of the record's level (spdlog's own names are lowercase).
class LevelFlag : public spdlog::custom_flag_formatter {
  public:
    void format(const spdlog::details::log_msg& msg, const std::tm&,
                spdlog::memory_buf_t& dest) override {
        for (const auto& l : kLevels) {
            if (l.level == msg.level) {
                dest.append(l.name.data(), l.name.data() + l.name.size());
                return;
            }
        }
    }
    std::unique_ptr<custom_flag_formatter> clone() const override {
        return std::make_unique<LevelFlag>();
    }
};

}  // namespace

std::optional<spdlog::level::level_enum> parse_log_level(std::string_view name) {
    std::string upper = to_upper(name);
    if (upper == "WARN") upper = "WARNING";
    for (const auto& l : kLevels)
        if (l.name == upper) return l.level;
    return std::nullopt;
}

void init_logging(spdlog::level::level_enum level) {
    auto logger = spdlog::get("netius");
    if (!logger) {
        logger = spdlog::stderr_logger_mt("netius");
        auto formatter = std::make_unique<spdlog::pattern_formatter>();
        formatter->add_flag<LevelFlag>('L').set_pattern("%Y-%m-%d %H:%M:%S,%e [%L] %v");
        logger->set_formatter(std::move(formatter));
        spdlog::set_default_logger(logger);
    }
    logger->set_level(level);
    logger->flush_on(spdlog::level::warn);
}

}  // namespace netius
