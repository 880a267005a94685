#pragma once
// The one header a Tessera application includes: delayed, futures, Client,
// LocalCluster, array, bag, the registry, and the "threads" executor.
#include "actors/client/client.hpp"
#include "actors/client/threads_executor.hpp"
#include "actors/cluster/local_cluster.hpp"
#include "collections/array/array.hpp"
#include "collections/array/creation.hpp"
#include "collections/bag/bag.hpp"
#include "collections/bag/read_text.hpp"
#include "collections/dataframe/dataframe.hpp"
#include "collections/delayed/delayed.hpp"
#include "runtime/exec/executor.hpp"
#include "runtime/registry/registry.hpp"
#include "runtime/util/error.hpp"
#include "runtime/value/value.hpp"
