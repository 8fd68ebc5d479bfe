#!/usr/bin/env python3
"""Writes test/golden/*.safetensors: PyTorch's answers that the golden tests compare mammoclr with.

    apt-get install python3-torch python3-torchvision   # Debian 12: torch 1.13.1, torchvision 0.14.1
    /usr/bin/python3 test/golden/make_golden.py          # Debian's python, the one with those packages

The files are committed, so the tests run without Python. Rerun this only when a comparison
itself changes (then commit the script and the files together); on one machine a rerun writes
the same bytes (fixed seeds, one thread).

Weights are drawn here and stored under torchvision's names, so both sides start from the same
values; mammoclr loads them through Module.loadStateDict. Network references (ResNet-18, the
bottleneck, BatchNorm, SyncBatchNorm's joined batch, the augmentation kernels) are PyTorch and
torchvision in float32, as a PyTorch user would run them. NT-Xent and LARS have no PyTorch
module: their references are the published formulas written out as tensor math, in float64,
and stored as float32.

The safetensors files are written by hand (8-byte little-endian header length, JSON header,
data), so the `safetensors` package is not needed.
"""
import json
import math
import struct
import sys
from pathlib import Path

import torch
import torch.nn as nn
import torchvision
import torchvision.transforms.functional as TF
from torchvision.models.resnet import BasicBlock, Bottleneck, ResNet, conv1x1

OUT = Path(__file__).resolve().parent
DTYPES = {torch.float32: 'F32', torch.float64: 'F64', torch.int64: 'I64'}


def write_safetensors(path, tensors, metadata):
    header = {'__metadata__': {k: str(v) for k, v in sorted(metadata.items())}}
    blobs, off = [], 0
    for name in sorted(tensors):
        t = tensors[name].detach().contiguous()
        b = t.numpy().tobytes()
        header[name] = {'dtype': DTYPES[t.dtype], 'shape': list(t.shape), 'data_offsets': [off, off + len(b)]}
        blobs.append(b)
        off += len(b)
    h = json.dumps(header, separators=(',', ':')).encode()
    h += b' ' * ((8 - len(h) % 8) % 8)
    with open(path, 'wb') as f:
        f.write(struct.pack('<Q', len(h)))
        f.write(h)
        for b in blobs:
            f.write(b)
    print(f'{path.name}: {len(tensors)} tensors, {(8 + len(h) + off) / 1024:.1f} KB')


def versions():
    return {'torch': torch.__version__, 'torchvision': torchvision.__version__}


def randomise_batchnorm(module, g):
    # Fresh BatchNorm is the identity with zero/one statistics, which would hide a swapped
    # weight/bias or running mean/var; these values make every one of them matter.
    for m in module.modules():
        if isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d)):
            with torch.no_grad():
                m.weight.uniform_(0.5, 1.5, generator=g)
                m.bias.uniform_(-0.2, 0.2, generator=g)
                m.running_mean.uniform_(-0.2, 0.2, generator=g)
                m.running_var.uniform_(0.5, 1.5, generator=g)


class SmallResNet(ResNet):
    """torchvision's ResNet at layer widths w, 2w, 4w, 8w (torchvision fixes 64..512), with the
    paper's stem (3x3 stride-1 conv, no max-pool) and no fc. Built by torchvision's own
    _make_layer and blocks and run by its own forward, so names and structure are torchvision's."""

    def __init__(self, block, layers, width, in_channels):
        nn.Module.__init__(self)
        self._norm_layer = nn.BatchNorm2d
        self.inplanes, self.dilation, self.groups, self.base_width = width, 1, 1, 64
        self.conv1 = nn.Conv2d(in_channels, width, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        self.relu = nn.ReLU(inplace=True)
        self.maxpool = nn.Identity()
        self.layer1 = self._make_layer(block, width, layers[0])
        self.layer2 = self._make_layer(block, 2 * width, layers[1], stride=2)
        self.layer3 = self._make_layer(block, 4 * width, layers[2], stride=2)
        self.layer4 = self._make_layer(block, 8 * width, layers[3], stride=2)
        self.avgpool = nn.AdaptiveAvgPool2d(1)
        self.fc = nn.Identity()
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, mode='fan_out', nonlinearity='relu')


def train_step_grads(module, x, upstream, names):
    """Output, input gradient and the named parameters' gradients of one training-mode forward."""
    module.train()
    xg = x.clone().requires_grad_(True)
    y = module(xg)
    params = dict(module.named_parameters())
    grads = torch.autograd.grad(y, [xg] + [params[n] for n in names], grad_outputs=upstream)
    return y, grads[0], dict(zip(names, grads[1:]))


def resnet18():
    torch.manual_seed(18)
    g = torch.Generator().manual_seed(18)
    width = 4
    model = SmallResNet(BasicBlock, [2, 2, 2, 2], width, 1)
    randomise_batchnorm(model, g)
    state = {k: v.clone() for k, v in model.state_dict().items()}
    x = torch.rand(4, 1, 16, 16, generator=g)
    upstream = torch.randn(4, 8 * width, generator=g)
    model.eval()
    with torch.no_grad():
        eval_out = model(x)
    names = ['conv1.weight', 'bn1.weight', 'bn1.bias', 'layer1.0.conv1.weight', 'layer2.0.downsample.0.weight',
             'layer2.0.downsample.1.weight', 'layer3.0.conv2.weight', 'layer4.1.conv2.weight', 'layer4.1.bn2.weight', 'layer4.1.bn2.bias']
    y, dx, dparams = train_step_grads(model, x, upstream, names)
    t = {f'state.{k}': v for k, v in state.items()}
    t.update({'input': x, 'upstream': upstream, 'eval.output': eval_out, 'train.output': y, 'train.grad.input': dx})
    t.update({f'train.grad.{k}': v for k, v in dparams.items()})
    t.update({f'train.after.{k}': v for k, v in model.state_dict().items() if 'running' in k or 'num_batches' in k})
    write_safetensors(OUT / 'resnet18.safetensors', t, {'width': width, **versions()})


def bottleneck():
    torch.manual_seed(50)
    g = torch.Generator().manual_seed(50)
    # The first block of layer2 in a width-4 ResNet-50: stride 2 and a projection shortcut.
    inplanes, planes = 16, 8
    block = Bottleneck(inplanes, planes, stride=2,
                       downsample=nn.Sequential(conv1x1(inplanes, planes * 4, 2), nn.BatchNorm2d(planes * 4)))
    for m in block.modules():
        if isinstance(m, nn.Conv2d):
            nn.init.kaiming_normal_(m.weight, mode='fan_out', nonlinearity='relu')
    randomise_batchnorm(block, g)
    state = {k: v.clone() for k, v in block.state_dict().items()}
    x = torch.rand(4, inplanes, 6, 6, generator=g)
    upstream = torch.randn(4, planes * 4, 3, 3, generator=g)
    names = [n for n, _ in block.named_parameters()]
    y, dx, dparams = train_step_grads(block, x, upstream, names)
    t = {f'state.{k}': v for k, v in state.items()}
    t.update({'input': x, 'upstream': upstream, 'train.output': y, 'train.grad.input': dx})
    t.update({f'train.grad.{k}': v for k, v in dparams.items()})
    t.update({f'train.after.{k}': v for k, v in block.state_dict().items() if 'running' in k or 'num_batches' in k})
    write_safetensors(OUT / 'bottleneck.safetensors', t, {'inplanes': inplanes, 'planes': planes, 'stride': 2, **versions()})


def batchnorm_eval():
    g = torch.Generator().manual_seed(7)
    t = {}
    for key, bn, shape in [('2d', nn.BatchNorm2d(6), (4, 6, 5, 5)), ('1d', nn.BatchNorm1d(6), (8, 6))]:
        randomise_batchnorm(bn, g)
        # Mean and variance far from the running statistics: eval must not use the batch's.
        x = torch.randn(*shape, generator=g) * 3 + 1
        upstream = torch.randn(*shape, generator=g)
        t.update({f'{key}.state.{k}': v.clone() for k, v in bn.state_dict().items()})
        bn.eval()
        xg = x.clone().requires_grad_(True)
        y = bn(xg)
        dx, dw, db = torch.autograd.grad(y, [xg, bn.weight, bn.bias], grad_outputs=upstream)
        t.update({f'{key}.input': x, f'{key}.upstream': upstream, f'{key}.output': y,
                  f'{key}.grad.input': dx, f'{key}.grad.weight': dw, f'{key}.grad.bias': db})
    write_safetensors(OUT / 'batchnorm-eval.safetensors', t, {'eps': 1e-5, **versions()})


def ntxent():
    g = torch.Generator().manual_seed(1)
    n, d, tau = 8, 16, 0.5
    # Second views correlated with the first, unequal norms: 12 of the 16 anchors rank their positive first.
    z1 = torch.randn(n, d, generator=g) * torch.rand(n, 1, generator=g).add(0.5)
    z2 = z1 + 3.0 * torch.randn(n, d, generator=g)
    a, b = z1.double().requires_grad_(True), z2.double().requires_grad_(True)
    # Chen et al. 2020, Eq. 1-3: l(i, j) = -log exp(s_ij / tau) / sum_{k != i} exp(s_ik / tau),
    # cosine s, averaged over all 2N anchors; the positive of i is i + N (mod 2N).
    z = torch.cat([a, b])
    h = z / z.norm(dim=1, keepdim=True)
    s = h @ h.T / tau
    others = ~torch.eye(2 * n, dtype=torch.bool)
    pos = (torch.arange(2 * n) + n) % (2 * n)
    cand = s[others].view(2 * n, 2 * n - 1)
    loss = (torch.logsumexp(cand, 1) - s[torch.arange(2 * n), pos]).mean()
    dz1, dz2 = torch.autograd.grad(loss, [a, b])
    with torch.no_grad():
        p = torch.softmax(cand, 1)
        entropy = -(p * p.log()).sum(1).mean()
        accuracy = (s.masked_fill(~others, -math.inf).argmax(1) == pos).double().mean()
    t = {'z1': z1, 'z2': z2, 'loss': loss.detach(), 'grad.z1': dz1.float(), 'grad.z2': dz2.float(),
         'entropy': entropy, 'accuracy': accuracy}
    write_safetensors(OUT / 'ntxent.safetensors', t, {'temperature': tau, **versions()})


def lars():
    g = torch.Generator().manual_seed(2)
    lr, momentum, wd, eeta = 1.0, 0.9, 0.01, 0.01
    shapes = {'conv.weight': (8, 4, 3, 3), 'fc.weight': (10, 8), 'bn.weight': (8,), 'fc.bias': (10,), 'zero.weight': (4, 4)}
    t = {}
    for name, shape in shapes.items():
        w = torch.zeros(shape) if name == 'zero.weight' else torch.randn(*shape, generator=g) * 0.2
        # Gradients small next to w, so weight decay (wd * w) moves the update by about 10 %.
        t[f'before.{name}'] = w
        t[f'grad.{name}'] = torch.randn(*shape, generator=g) * 0.02
        t[f'momentum.{name}'] = torch.randn(*shape, generator=g) * 0.01
    # google-research/simclr lars_optimizer.py, per parameter: parameters of one dimension (BatchNorm
    # gamma/beta, biases) get neither weight decay nor the trust ratio; for the others
    # d = g + wd * w, trust = eeta * ||w|| / ||d|| (1 when either norm is 0); v = m * v + lr * trust * d;
    # w -= v, or with Nesterov w -= m * v + lr * trust * d.
    for nesterov in (False, True):
        for name in shapes:
            w, gr, v = (t[f'{k}.{name}'].double() for k in ('before', 'grad', 'momentum'))
            excluded = w.dim() <= 1
            d = gr if excluded else gr + wd * w
            wn, dn = w.norm(), d.norm()
            trust = 1.0 if excluded or wn == 0 or dn == 0 else eeta * wn / dn
            v = momentum * v + lr * trust * d
            w = w - (momentum * v + lr * trust * d if nesterov else v)
            key = 'nesterov' if nesterov else 'classic'
            t[f'{key}.after.{name}'] = w.float()
            t[f'{key}.momentum.{name}'] = v.float()
    write_safetensors(OUT / 'lars.safetensors', t, {'lr': lr, 'momentum': momentum, 'weight_decay': wd, 'trust_coefficient': eeta, **versions()})


def sync_batchnorm():
    g = torch.Generator().manual_seed(3)
    world = 2
    bn = nn.BatchNorm2d(6)
    randomise_batchnorm(bn, g)
    # Shards with different means, so per-shard statistics would give a different answer.
    x = torch.randn(8, 6, 5, 4, generator=g) * 2 + 3
    x[4:] = x[4:] * 0.5 - 2
    upstream = torch.randn(8, 6, 5, 4, generator=g)
    state = {f'state.{k}': v.clone() for k, v in bn.state_dict().items()}
    y, dx, dparams = train_step_grads(bn, x, upstream, ['weight', 'bias'])
    t = {**state, 'input': x, 'upstream': upstream, 'train.output': y, 'train.grad.input': dx,
         'train.grad.weight': dparams['weight'], 'train.grad.bias': dparams['bias']}
    t.update({f'train.after.{k}': v for k, v in bn.state_dict().items() if 'running' in k or 'num_batches' in k})
    write_safetensors(OUT / 'sync-batchnorm.safetensors', t, {'world_size': world, **versions()})


def augment():
    g = torch.Generator().manual_seed(4)
    gray = torch.rand(3, 1, 16, 16, generator=g)
    rgb = torch.rand(2, 3, 16, 16, generator=g)
    # Per image: factor and whether it is applied (an image not drawn is passed through as is).
    brightness = {'gray': [[0.6, True], [1.3, False], [1.35, True]], 'rgb': [[1.25, True], [0.7, True]]}
    contrast = {'gray': [[0.7, True], [1.2, False], [1.4, True]], 'rgb': [[0.65, True], [1.3, True]]}
    # sigma 0: not blurred (torchvision needs sigma > 0; the reference is the input).
    blur = {'gray': [0.6, 0.0, 1.7], 'rgb': [1.1, 2.0]}
    kernel = 7
    # Crops (top, left, height, width) downscaled to 12: torchvision's crop-then-resize and one
    # grid_sample sample the same points when the box is at least the output size. Upscaling (to
    # 24) only for whole-image boxes (src/augment/crop.ts: interior upscaled boxes differ at the edges).
    crops = {
        'gray.down': {'size': 12, 'boxes': [[0, 0, 16, 16], [2, 3, 13, 12], [4, 1, 12, 15]], 'hflip': [False, True, False], 'vflip': [False, False, True]},
        'gray.up': {'size': 24, 'boxes': [[0, 0, 16, 16]] * 3, 'hflip': [False, True, True], 'vflip': [True, False, True]},
        'rgb.down': {'size': 12, 'boxes': [[1, 2, 14, 12], [3, 0, 12, 16]], 'hflip': [True, False], 'vflip': [False, True]},
    }
    images = {'gray': gray, 'rgb': rgb}
    t = {'gray': gray, 'rgb': rgb}
    for key, x in images.items():
        t[f'brightness.{key}'] = torch.stack([TF.adjust_brightness(x[k], f) if on else x[k] for k, (f, on) in enumerate(brightness[key])])
        t[f'contrast.{key}'] = torch.stack([TF.adjust_contrast(x[k], f) if on else x[k] for k, (f, on) in enumerate(contrast[key])])
        t[f'blur.{key}'] = torch.stack([TF.gaussian_blur(x[k], [kernel, kernel], [s, s]) if s > 0 else x[k] for k, s in enumerate(blur[key])])
    for key, c in crops.items():
        x = images[key.split('.')[0]]
        out = []
        for k, (top, left, h, w) in enumerate(c['boxes']):
            y = TF.resized_crop(x[k], top, left, h, w, [c['size'], c['size']], antialias=False)
            if c['hflip'][k]:
                y = TF.hflip(y)
            if c['vflip'][k]:
                y = TF.vflip(y)
            out.append(y)
        t[f'crop.{key}'] = torch.stack(out)
    params = {'brightness': brightness, 'contrast': contrast, 'blur': blur, 'kernel': kernel, 'crops': crops}
    write_safetensors(OUT / 'augment.safetensors', t, {'params': json.dumps(params), **versions()})


if __name__ == '__main__':
    torch.set_num_threads(1)
    which = sys.argv[1:] or ['resnet18', 'bottleneck', 'batchnorm_eval', 'ntxent', 'lars', 'sync_batchnorm', 'augment']
    for name in which:
        globals()[name]()
