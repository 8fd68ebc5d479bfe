/**
 * Attention-based deep multiple-instance pooling (Ilse, Tomczak & Welling, "Attention-based Deep
 * Multiple Instance Learning", ICML 2018): a bag of window features h_1..h_K becomes one vector
 * z = sum_k a_k h_k with learned weights a_k, and one logit from z. The weights say which windows
 * drove the image's score, so they double as a localisation map learned from image labels alone.
 * Child names follow the paper's code (AMLab-Amsterdam/AttentionDeepMIL, GatedAttention):
 * attention_V, attention_U (gated only), attention_w, classifier.
 */
import { Tensor, tidy, type Generator } from '../tensor/index.js';
import { Module } from './module.js';
import { Linear } from './layers.js';

export interface AttentionMilConfig {
  /** Width L of the attention's hidden layer (the paper uses 128). */
  hidden?: number;
  /** Gated attention: tanh(V h) * sigmoid(U h) instead of tanh(V h) (default false). */
  gated?: boolean;
  generator?: Generator;
}

export interface MilOutput {
  /** Bag logit: [] for one bag [K, D], [B] for a batch [B, K, D]. */
  logit: Tensor;
  /** Attention weights: [K] or [B, K]; sum 1 over each bag's valid windows, exactly 0 on padding. */
  attention: Tensor;
}

export class AttentionMil extends Module {
  readonly inFeatures: number;
  readonly gated: boolean;
  readonly attentionV: Linear;
  readonly attentionU: Linear | null;
  readonly attentionW: Linear;
  readonly classifier: Linear;

  constructor(inFeatures: number, o: AttentionMilConfig = {}) {
    super();
    const hidden = o.hidden ?? 128;
    const g = o.generator;
    this.inFeatures = inFeatures;
    this.gated = o.gated ?? false;
    this.attentionV = this.registerModule('attention_V', new Linear(inFeatures, hidden, { generator: g }));
    this.attentionU = this.gated ? this.registerModule('attention_U', new Linear(inFeatures, hidden, { generator: g })) : null;
    this.attentionW = this.registerModule('attention_w', new Linear(hidden, 1, { generator: g }));
    this.classifier = this.registerModule('classifier', new Linear(inFeatures, 1, { generator: g }));
  }

  /**
   * h: one bag [K, D], or a padded batch [B, K, D] with mask [B, K] (true/nonzero = a real
   * window; omitted = all real). Padded rows must be finite (zeros): they get weight 0, and
   * 0 * NaN would still be NaN.
   */
  forward(h: Tensor, mask: Tensor | null = null): MilOutput {
    if (h.ndim === 2) {
      if (mask) throw new Error('AttentionMil: a single bag [K, D] takes no mask; pad to [B, K, D] to mask windows');
      return tidy(() => {
        const out = this.forwardBatch(h.unsqueeze(0), null);
        return { logit: out.logit.squeeze(0), attention: out.attention.squeeze(0) };
      });
    }
    if (h.ndim !== 3) throw new Error(`AttentionMil: features must be [K, D] or [B, K, D], got [${h.shape.join(', ')}]`);
    return tidy(() => this.forwardBatch(h, mask));
  }

  private forwardBatch(h: Tensor, mask: Tensor | null): MilOutput {
    const [B, K, D] = h.shape as [number, number, number];
    if (D !== this.inFeatures) throw new Error(`AttentionMil: expected ${this.inFeatures} features per window, got ${D}`);
    if (K === 0) throw new Error('AttentionMil: a bag needs at least one window');
    // a_k = softmax_k(w^T (tanh(V h_k) [* sigmoid(U h_k)])), Ilse et al. 2018 eq. 8 (eq. 9 gated).
    let gate = this.attentionV.forward(h).tanh();
    if (this.attentionU) gate = gate.mul(this.attentionU.forward(h).sigmoid());
    let scores = this.attentionW.forward(gate).squeeze(-1);
    if (mask) {
      if (mask.shape.join('x') !== `${B}x${K}`) throw new Error(`AttentionMil: mask must be [${B}, ${K}], got [${mask.shape.join(', ')}]`);
      const valid = mask.dtype === 'bool' ? mask : mask.ne(0);
      if (!valid.sum(1).gt(0).all().item()) throw new Error('AttentionMil: every bag needs at least one unmasked window');
      // -inf before the softmax gives padding exactly 0 weight and 0 gradient.
      scores = scores.maskedFill(valid.logicalNot(), Number.NEGATIVE_INFINITY);
    }
    const attention = scores.softmax(1);
    // z = sum_k a_k h_k (eq. 7), as [B, 1, K] x [B, K, D].
    const z = attention.unsqueeze(1).matmul(h).squeeze(1);
    return { logit: this.classifier.forward(z).squeeze(-1), attention };
  }
}
