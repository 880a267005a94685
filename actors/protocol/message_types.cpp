#include "actors/protocol/message_types.hpp"

#include <caf/actor_system_config.hpp>

#include "actors/protocol/messages.hpp"
#include "actors/protocol/protocol_error.hpp"

namespace tessera::actors {

void add_message_types(caf::actor_system_config& cfg) {
  // add_message_type<T> also registers std::vector<T> (the batches).
  cfg.add_message_type<Key>("tessera.Key");
  cfg.add_message_type<Value>("tessera.Value");
  cfg.add_message_type<GraphSubmissionPtr>("tessera.GraphSubmission");
  cfg.add_message_type<ComputeTask>("tessera.ComputeTask");
  cfg.add_message_type<TaskOutcome>("tessera.TaskOutcome");
  cfg.add_message_type<KeyReport>("tessera.KeyReport");
  cfg.add_message_type<ScatterItem>("tessera.ScatterItem");
  cfg.add_message_type<std::pair<TaskId, Value>>("tessera.StoreItem");
  cfg.add_message_type<SchedulerInfo>("tessera.SchedulerInfo");
  cfg.add_message_type<DataReply>("tessera.DataReply");
  cfg.add_message_type<std::vector<TaskId>>("tessera.TaskIds");
  cfg.add_message_type<WorkerMetrics>("tessera.WorkerMetrics");
  cfg.add_message_type<DepLocation>("tessera.DepLocation");
  cfg.add_message_type<PlacedValue>("tessera.PlacedValue");
  add_protocol_error_category(cfg);
}

}  // namespace tessera::actors
