{
  "targets": [
    {
      "target_name": "mammoclr",
      "sources": [
        "native/src/handles.cc",
        "native/src/tensor_io.cc",
        "native/src/dispatch.cc",
        "native/src/autograd.cc",
        "native/src/engine.cc",
        "native/src/distributed.cc",
        "native/src/gradient_reducer.cc",
        "native/src/cpu_allocator.cc",
        "native/src/sync_batchnorm.cc"
      ],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "<!@(node scripts/torch-config.mjs includes)"
      ],
      "defines": [
        "NAPI_VERSION=8",
        "NODE_ADDON_API_DISABLE_DEPRECATED",
        "<!@(node scripts/torch-config.mjs defines)"
      ],
      "cflags_cc!": ["-fno-exceptions", "-fno-rtti", "-std=gnu++17", "-std=gnu++14"],
      "cflags_cc": ["-std=c++17", "-fexceptions", "-frtti", "-O2", "-Wno-unused-parameter", "-Wno-deprecated-declarations"],
      "ldflags": ["<!@(node scripts/torch-config.mjs ldflags)"],
      "libraries": ["<!@(node scripts/torch-config.mjs libs)"]
    }
  ]
}
