/**
 * Grad-CAM for an encoder (ResNet) + linear classifier, batched, and CAM from the classifier
 * weights as its independent oracle. The conventions follow jacobgil/pytorch-grad-cam
 * (base_cam.py, grad_cam.py, utils/image.py) so maps can be compared with that library.
 */
import { Tensor, F, tensor, tidy, noGrad, enableGrad, gradients } from '../tensor/index.js';

export type CamLayer = 'layer3' | 'layer4';

/** What Grad-CAM needs from an encoder: ResNet.activations. */
export interface CamEncoder {
  training: boolean;
  train(on?: boolean): unknown;
  activations(x: Tensor): { layer3: Tensor; layer4: Tensor; features: Tensor };
}

/** A classifier on pooled features: logits [N, C] (C = 1 for a sigmoid head). */
export interface CamHead {
  training: boolean;
  train(on?: boolean): unknown;
  forward(h: Tensor): Tensor;
}

export interface GradCamOptions {
  /** Which activations to explain: layer4 (default; 4x4 at 32 px input) or layer3 (8x8). */
  layer?: CamLayer;
  /**
   * The class to explain, one for all images or one per image. Default: the predicted class
   * (argmax logit; for a 1-logit head, 1 when z > 0 else 0).
   */
  targetClass?: number | number[];
  /** Side of the output maps. Default: the input's side (the network input size). */
  outputSize?: number;
}

export interface LayerGradients {
  /** The chosen layer's activations A [N, K, h, w] (detached). */
  activations: Tensor;
  /** dy^c/dA [N, K, h, w], y^c the chosen score of each image. */
  gradients: Tensor;
  classes: number[];
  /** y^c per image: the class logit (or +z / -z for a 1-logit head). */
  scores: number[];
}

export interface GradCamResult {
  /** [N, S, S] in [0, 1]: ReLU, per-image min-max, bilinear upsampling to S. */
  maps: Tensor;
  /** [N, h, w] at the layer's resolution, ReLU and min-max normalised (before upsampling). */
  lowRes: Tensor;
  /** sum_k alpha_k A^k [N, h, w] before ReLU and normalisation. */
  raw: Tensor;
  classes: number[];
  /** The score y^c that was differentiated, per image. */
  scores: number[];
}

/** Runs fn with both modules in eval mode (BN running statistics), restoring their modes after. */
function inEval<T>(encoder: CamEncoder, head: CamHead, fn: () => T): T {
  const was = [encoder.training, head.training] as const;
  encoder.train(false);
  head.train(false);
  try {
    return fn();
  } finally {
    encoder.train(was[0]);
    head.train(was[1]);
  }
}

function resolveClasses(logits: Float32Array, n: number, c: number, target: number | number[] | undefined): number[] {
  if (Array.isArray(target) && target.length !== n) throw new Error(`targetClass has ${target.length} entries for ${n} images`);
  const out: number[] = [];
  for (let i = 0; i < n; i++) {
    const t = Array.isArray(target) ? target[i] : target;
    if (t !== undefined) {
      if (!Number.isInteger(t) || t < 0 || t >= Math.max(c, 2)) throw new Error(`target class ${t} out of range for ${c} logit(s)`);
      out.push(t);
      continue;
    }
    if (c === 1) out.push(logits[i]! > 0 ? 1 : 0);
    else {
      let best = 0;
      for (let k = 1; k < c; k++) if (logits[i * c + k]! > logits[i * c + best]!) best = k;
      out.push(best);
    }
  }
  return out;
}

/** The signed one-hot selector: y^c = sum_k logits[n, k] * sel[n, k]; a 1-logit head uses +/-1 (BinaryClassifierOutputTarget). */
function selector(classes: number[], c: number): Tensor {
  const sel = new Float32Array(classes.length * c);
  classes.forEach((k, i) => {
    if (c === 1) sel[i] = k === 1 ? 1 : -1;
    else sel[i * c + k] = 1;
  });
  return tensor(sel, [classes.length, c]);
}

/**
 * The chosen layer's activations and dy^c/dA (torch.autograd.grad on the intermediate
 * activation). Images are independent in eval mode, so one backward of sum_n y_n^{c_n} gives
 * every image's own gradient.
 */
export function layerGradients(encoder: CamEncoder, head: CamHead, x: Tensor, o: Omit<GradCamOptions, 'outputSize'> = {}): LayerGradients {
  const layer = o.layer ?? 'layer4';
  return inEval(encoder, head, () => enableGrad(() => tidy(() => {
    // A leaf input that requires grad keeps the graph alive even when the weights are frozen.
    const input = x.detach().requiresGrad_(true);
    const act = encoder.activations(input);
    const logits = head.forward(act.features);
    const [n, c] = logits.shape as [number, number];
    const flat = logits.detach().toFloat32Array();
    const classes = resolveClasses(flat, n, c, o.targetClass);
    const sel = selector(classes, c);
    const perImage = logits.mul(sel).sum(1);
    const scores = perImage.detach().toArray();
    const target = act[layer];
    const [g] = gradients([perImage.sum()], [target]);
    return { activations: target.detach(), gradients: g!, classes, scores };
  })));
}

/** ReLU, per-image min-max (x - min) / (1e-7 + max) as pytorch-grad-cam scale_cam_image, then bilinear to size. */
export function normaliseCams(cam: Tensor, size: number): { maps: Tensor; lowRes: Tensor } {
  return noGrad(() => tidy(() => {
    const [n, h, w] = cam.shape as [number, number, number];
    const flat = cam.relu().reshape(n, h * w);
    const shifted = flat.sub(flat.minDim(1, true).values);
    const lowRes = shifted.div(shifted.maxDim(1, true).values.add(1e-7)).reshape(n, h, w);
    // Bilinear, half-pixel centres, edge-clamped: cv2.resize INTER_LINEAR when upsampling.
    const maps = F.interpolate(lowRes.unsqueeze(1), size, 'bilinear', false).squeeze(1);
    return { maps, lowRes };
  }));
}

// Grad-CAM (Selvaraju et al. 2017): alpha_k = mean_ij dy^c/dA^k_ij; L = ReLU(sum_k alpha_k A^k).
export function gradCam(encoder: CamEncoder, head: CamHead, x: Tensor, o: GradCamOptions = {}): GradCamResult {
  const size = o.outputSize ?? x.size(-1);
  return tidy(() => {
    const lg = layerGradients(encoder, head, x, o);
    const cam = noGrad(() => lg.gradients.mean([2, 3], true).mul(lg.activations).sum(1));
    return { ...normaliseCams(cam, size), raw: cam, classes: lg.classes, scores: lg.scores };
  });
}

// CAM (Zhou et al. 2016): M_c(i,j) = sum_k w_k^c A^k_ij, from a GAP + linear head's weights [C, K].
// For a 1-logit head, class 0 uses -w (the -z target). Returns the raw map [N, h, w]; pass it
// through normaliseCams to compare with Grad-CAM (which equals ReLU(CAM) / Z).
export function camFromWeights(activations: Tensor, weight: Tensor, classes: number[]): Tensor {
  return noGrad(() => tidy(() => {
    const [c] = weight.shape as [number, number];
    const sel = selector(classes, c); // [N, C]
    const w = sel.matmul(weight); // [N, K]: w^{c_n} (signed for a 1-logit head)
    return w.unsqueeze(-1).unsqueeze(-1).mul(activations).sum(1);
  }));
}
