#include "util/error.hpp"

#include <cstring>

namespace netius {

std::string errno_message(const std::string& call, int err) {
    return fmt::format("{}: {}", call, std::strerror(err));
}

}  // namespace netius
