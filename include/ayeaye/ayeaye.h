// Everything a model author needs: include this one header.
#pragma once

#include "ayeaye/dataset.h"
#include "ayeaye/error.h"
#include "ayeaye/json.h"
#include "ayeaye/model.h"
#include "ayeaye/number_text.h"
#include "ayeaye/partitioned_model.h"
#include "ayeaye/registry.h"
#include "ayeaye/resolver_context.h"
#include "ayeaye/sql_dataset.h"
#include "ayeaye/task_message.h"
