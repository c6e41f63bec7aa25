/**
 * The decoder's raw outputs are clipped to [-LOGIT_CLIP, LOGIT_CLIP] before exp, in training (both
 * engines' losses) and in sampling (the draw graph and the JS heads), so a category's logit can never
 * overflow float32's exp and both paths see the same values.
 */
export const LOGIT_CLIP = 30;
