#pragma once
// Logging set-up: spdlog to stderr with netius' level names (DEBUG, INFO, WARNING, ERROR,
// CRITICAL; also TRACE and SILENT). Call from the main thread before starting any loop.
#include <optional>
#include <string_view>

#include <spdlog/common.h>

namespace netius {

/// Maps a netius level name (case-insensitive) to spdlog's level; nullopt if unknown.
std::optional<spdlog::level::level_enum> parse_log_level(std::string_view name);

/// Installs the stderr logger ("2026-11-24 18:00:00,123 [INFO] message") at `level`.
void init_logging(spdlog::level::level_enum level);

}  // namespace netius
