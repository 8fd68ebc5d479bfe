#!/usr/bin/env python3
"""A mammoclr ONNX export as a torchvision ResNet (a plain torch.nn.Module), for PyTorch users.

The export's initializers carry torchvision's names (conv1.weight, layer2.0.downsample.0.weight,
...), with each BatchNorm folded into the convolution before it (so each convolution has a bias
and the BatchNorms become identities) and the classifier as head.weight / head.bias. Needs torch,
torchvision and onnx; torchvision builds only the full width (64), so narrower test models are refused.

    from onnx_to_torchvision import load
    net, meta = load("model.onnx")      # eval mode; net(x) gives logits, softmax(1) the probabilities

As a script, `python3 onnx_to_torchvision.py MODEL.onnx PIXELS.f32 N` reads N images of raw
little-endian float32 [N, C, S, S] pixels and prints their probabilities as JSON (the project's
tests compare them with the engine's).
"""
import json
import sys

import numpy as np
import onnx
import torch
import torch.nn as nn
import torchvision
from onnx import numpy_helper


def _replace(root, dotted, module):
    parent, _, name = dotted.rpartition(".")
    setattr(root.get_submodule(parent) if parent else root, name, module)


def load(path):
    model = onnx.load(path)
    meta = {p.key: p.value for p in model.metadata_props}
    arch = json.loads(meta["mammoclr.architecture"])
    if arch["width"] != 64:
        raise ValueError(f"{path}: width {arch['width']}; torchvision's ResNets have width 64")
    weights = {t.name: torch.from_numpy(numpy_helper.to_array(t).copy()) for t in model.graph.initializer}
    classes = json.loads(meta["mammoclr.classes"])
    net = getattr(torchvision.models, f"resnet{arch['depth']}")(num_classes=len(classes))
    if arch["stem"] == "cifar":
        net.conv1 = nn.Conv2d(arch["inChannels"], 64, 3, 1, 1)
        net.maxpool = nn.Identity()
    else:
        net.conv1 = nn.Conv2d(arch["inChannels"], 64, 7, 2, 3)
    # BatchNorm is folded into the convolutions: identities in its place, a bias on every convolution.
    for name, module in list(net.named_modules()):
        if isinstance(module, nn.BatchNorm2d):
            _replace(net, name, nn.Identity())
        elif isinstance(module, nn.Conv2d) and module.bias is None:
            module.bias = nn.Parameter(torch.zeros(module.out_channels))
    state = {k: v for k, v in weights.items() if not k.startswith("head.")}
    state["fc.weight"], state["fc.bias"] = weights["head.weight"], weights["head.bias"]
    net.load_state_dict(state, strict=True)
    first = model.graph.node[0]
    if first.op_type == "AveragePool":
        # A patch model: the window is area-averaged to the encoder's input first.
        kernel = [a.ints for a in first.attribute if a.name == "kernel_shape"][0][0]
        net = nn.Sequential(nn.AvgPool2d(kernel), net)
    return net.eval(), meta


if __name__ == "__main__":
    net, meta = load(sys.argv[1])
    n, channels = int(sys.argv[3]), json.loads(meta["mammoclr.architecture"])["inChannels"]
    x = torch.from_numpy(np.fromfile(sys.argv[2], dtype="<f4"))
    side = int(round((x.numel() / n / channels) ** 0.5))
    with torch.no_grad():
        p = net(x.reshape(n, channels, side, side)).softmax(1)
    print(json.dumps(p.tolist()))
