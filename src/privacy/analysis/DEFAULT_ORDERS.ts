/**
 * The Renyi orders (alpha) at which RDP curves are evaluated and composed.
 *
 * 1.1, 1.2, ..., 10.9 (step 0.1), then the integers 11..63, then 64, 80, 96, 128, 256, 512.
 * Opacus' `RDPAccountant.DEFAULT_ALPHAS` (1.1..10.9 and 12..63) is a subset; evaluating more orders can only
 * lower the minimum taken in the (epsilon, delta) conversion, never raise it, and every order is a valid bound.
 * The large orders matter for small epsilon targets with tiny delta; the fractional ones for large epsilon.
 *
 * The fractional orders are built as k/10 so that 2.0, 3.0, ... are exact integers (and use the exact
 * integer-order formula).
 */
export const DEFAULT_ORDERS: readonly number[] = Object.freeze(buildOrders());

function buildOrders(): number[] {
  const orders: number[] = [];
  for (let k = 11; k <= 109; k++) orders.push(k / 10);
  for (let a = 11; a <= 63; a++) orders.push(a);
  orders.push(64, 80, 96, 128, 256, 512);
  return orders;
}
