/** The bits of every double (so -0, NaN and 1 ulp all count), for bit-for-bit comparisons of kernels. */
export function bits(a: Float64Array): bigint[] {
  return Array.from(new BigUint64Array(Float64Array.from(a).buffer));
}
