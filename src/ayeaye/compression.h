// gz (zlib, gzip framing) and zstd streams over another ByteSource/ByteSink. Readers go on across
// concatenated members/frames, so a file appended to in later stages reads whole. Internal.
#pragma once

#include <memory>
#include <string>

#include "byte_stream.h"

namespace ayeaye {

// `name` is for messages ("s3://b/x.csv.gz: not gzip data"). kNone hands `inner` back.
std::unique_ptr<ByteSource> decompressing(Compression compression, std::unique_ptr<ByteSource> inner, std::string name);
std::unique_ptr<ByteSink> compressing(Compression compression, std::unique_ptr<ByteSink> inner, std::string name);

}  // namespace ayeaye
