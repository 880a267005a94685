#include "collections/delayed/delayed.hpp"
