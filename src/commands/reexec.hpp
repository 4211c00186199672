#pragma once
// Graceful reload by re-executing the master (SIGHUP): the same pid runs the same command line
// again, so the configuration (command line, environment, config files) and the certificates
// are read afresh (and a binary upgraded in place since the start is the one run), while the
// listening socket and the running workers are handed over to the new image through the
// environment:
//
//   NETIUS_LISTENER_FD=5           the listening socket, kept open across execve()
//   NETIUS_WORKERS=pid:index,...   the workers to stop once the new ones accept
//
// Before replacing itself the master runs the command line once more with
// NETIUS_CHECK_CONFIG=1 (the command stops where it would bind): a configuration that no
// longer parses is reported and the old workers keep serving. Main thread of the master only.
#include <optional>
#include <vector>

#include "commands/supervisor.hpp"
#include "util/unique_fd.hpp"

namespace netius::cmd {

/// What a reloaded image finds in its environment (removed from it on reading).
struct Handover {
    UniqueFd listener;
    std::vector<InheritedWorker> workers;
};

/// The handover of the image this process replaced, if it was started by reexec(). Throws
/// netius::Error when the variables are malformed or the fd is not a listening socket.
std::optional<Handover> take_handover();

/// True in the configuration check run by reexec(): the command returns before binding.
bool checking_configuration();

/// Checks the configuration, then replaces this process's image, handing over `listener_fd`
/// and `workers`. Returns only when that failed (logged as an error: the caller keeps serving).
void reexec(int listener_fd, const std::vector<InheritedWorker>& workers);

}  // namespace netius::cmd
