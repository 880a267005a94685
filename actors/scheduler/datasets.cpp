// SchedulerState: published datasets (named references to keys, as Dask's
// client.publish_dataset) and clients taking references to existing keys.
#include <algorithm>

#include "actors/scheduler/scheduler_state.hpp"
#include "runtime/util/error.hpp"

namespace tessera::actors {

namespace {
std::string dataset_not_found(const std::string& name) { return "Dataset '" + name + "' not found"; }
}  // namespace

void SchedulerState::publish_dataset(const std::string& name, const std::vector<Key>& keys, Outbox& out,
                                     bool override) {
  if (name.empty()) throw ValueError("publish_dataset: the dataset's name must not be empty");
  auto existing = datasets_.find(name);
  if (existing != datasets_.end() && !override) throw KeyError("Dataset '" + name + "' already exists");
  std::vector<TaskId> ids;
  ids.reserve(keys.size());
  for (const auto& k : keys) {
    auto id = task_id(k);
    if (!id) throw KeyError("publish_dataset: key " + k.str() + " of dataset '" + name + "' is not on the cluster");
    ids.push_back(*id);
  }
  if (!datasets_client_) {  // a client record that holds references and is never reported to
    clients_.push_back(ClientRecord{caf::actor{}, false, {}});
    datasets_client_ = static_cast<ClientId>(clients_.size() - 1);
  }
  // New references first, so that keys shared with a replaced dataset stay.
  for (auto id : ids) add_wanter(id, *datasets_client_, out);
  if (existing != datasets_.end()) {
    auto old = std::move(existing->second);
    release(*datasets_client_, old, out);
  }
  datasets_[name] = keys;
}

const std::vector<Key>& SchedulerState::get_dataset(const std::string& name) const {
  auto it = datasets_.find(name);
  if (it == datasets_.end()) throw KeyError(dataset_not_found(name));
  return it->second;
}

void SchedulerState::unpublish_dataset(const std::string& name, Outbox& out) {
  auto it = datasets_.find(name);
  if (it == datasets_.end()) throw KeyError(dataset_not_found(name));
  auto keys = std::move(it->second);
  datasets_.erase(it);
  release(*datasets_client_, keys, out);
  fill_workers(out);
}

std::vector<std::string> SchedulerState::list_datasets() const {
  std::vector<std::string> names;
  names.reserve(datasets_.size());
  for (const auto& [name, keys] : datasets_) names.push_back(name);
  return names;  // a std::map: already sorted
}

void SchedulerState::want_keys(ClientId client, const std::vector<Key>& keys, Outbox& out) {
  if (client >= clients_.size() || !clients_[client].alive)
    throw KeyError("want_keys: no client with id " + std::to_string(client) + " is connected");
  std::vector<TaskId> ids;
  ids.reserve(keys.size());
  for (const auto& k : keys) {
    auto id = task_id(k);
    if (!id) throw KeyError("key " + k.str() + " is not on the cluster");
    ids.push_back(*id);
  }
  for (auto id : ids) add_wanter(id, client, out);
  fill_workers(out);
}

}  // namespace tessera::actors
