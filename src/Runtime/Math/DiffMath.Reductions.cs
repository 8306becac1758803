using System;

namespace DiffGen
{
    /// <content>Reductions over spans: sums, dot products, log-sum-exp and softmax.</content>
    public static partial class DiffMath
    {
        /// <summary>The sum of the elements (0 for an empty span).</summary>
        /// <param name="x">The elements.</param>
        /// <returns>Σ xᵢ.</returns>
        public static double Sum(ReadOnlySpan<double> x)
        {
            double sum = 0;
            for (int i = 0; i < x.Length; i++)
            {
                sum += x[i];
            }

            return sum;
        }

        /// <summary>Pullback of <see cref="Sum"/>: <c>dX[i] += seed</c>.</summary>
        /// <param name="x">The elements.</param>
        /// <param name="seed">The adjoint of the result.</param>
        /// <param name="dX">The adjoint of <paramref name="x"/> (same length), accumulated into.</param>
        /// <returns>Σ xᵢ.</returns>
        /// <exception cref="ArgumentException"><paramref name="dX"/> has a different length.</exception>
        [DerivativeOf(nameof(Sum))]
        public static double SumBackward(ReadOnlySpan<double> x, double seed, Span<double> dX)
        {
            Guard.Length(x.Length, dX.Length, nameof(dX));
            for (int i = 0; i < dX.Length; i++)
            {
                dX[i] += seed;
            }

            return Sum(x);
        }

        /// <summary>The dot product Σ aᵢbᵢ.</summary>
        /// <param name="a">The first vector.</param>
        /// <param name="b">The second vector (same length).</param>
        /// <returns>Σ aᵢbᵢ.</returns>
        /// <exception cref="ArgumentException"><paramref name="b"/> has a different length.</exception>
        public static double Dot(ReadOnlySpan<double> a, ReadOnlySpan<double> b)
        {
            Guard.Length(a.Length, b.Length, nameof(b));
            double sum = 0;
            for (int i = 0; i < a.Length; i++)
            {
                sum += a[i] * b[i];
            }

            return sum;
        }

        /// <summary>Pullback of <see cref="Dot"/>: <c>dA[i] += seed·b[i]</c>, <c>dB[i] += seed·a[i]</c>.</summary>
        /// <param name="a">The first vector.</param>
        /// <param name="b">The second vector (same length).</param>
        /// <param name="seed">The adjoint of the result.</param>
        /// <param name="dA">The adjoint of <paramref name="a"/> (same length), accumulated into.</param>
        /// <param name="dB">The adjoint of <paramref name="b"/> (same length), accumulated into.</param>
        /// <returns>Σ aᵢbᵢ.</returns>
        /// <exception cref="ArgumentException">A span has a different length.</exception>
        [DerivativeOf(nameof(Dot))]
        public static double DotBackward(ReadOnlySpan<double> a, ReadOnlySpan<double> b, double seed, Span<double> dA, Span<double> dB)
        {
            Guard.Length(a.Length, b.Length, nameof(b));
            Guard.Length(a.Length, dA.Length, nameof(dA));
            Guard.Length(a.Length, dB.Length, nameof(dB));

            // The value is computed before any adjoint is touched, so it is right even if a caller aliases an input and an adjoint.
            double value = Dot(a, b);
            for (int i = 0; i < a.Length; i++)
            {
                double ai = a[i];
                double bi = b[i];
                dA[i] += seed * bi;
                dB[i] += seed * ai;
            }

            return value;
        }

        /// <summary>
        /// log Σ exp(xᵢ), evaluated as <c>m + log1p(Σ_{i≠k} exp(xᵢ − m))</c> with m = x_k the maximum, so it neither
        /// overflows nor underflows and keeps full precision when one element dominates. An empty span gives −∞ (the
        /// log of an empty sum); if the maximum is ±∞ the result is that infinity; NaN propagates.
        /// </summary>
        /// <param name="x">The elements.</param>
        /// <returns>log Σ exp(xᵢ).</returns>
        public static double LogSumExp(ReadOnlySpan<double> x)
        {
            int k = ArgMax(x);
            if (k < 0)
            {
                return double.NegativeInfinity;
            }

            double max = x[k];
            if (!double.IsFinite(max))
            {
                return max;
            }

            return max + Log1P(SumExpExcept(x, k, max));
        }

        /// <summary>
        /// Pullback of <see cref="LogSumExp"/>: <c>dX[i] += seed · softmax(x)ᵢ</c>. When the maximum is not finite the
        /// gradient is undefined and NaN is added (as PyTorch does).
        /// </summary>
        /// <param name="x">The elements.</param>
        /// <param name="seed">The adjoint of the result.</param>
        /// <param name="dX">The adjoint of <paramref name="x"/> (same length), accumulated into.</param>
        /// <returns>log Σ exp(xᵢ).</returns>
        /// <exception cref="ArgumentException"><paramref name="dX"/> has a different length.</exception>
        [DerivativeOf(nameof(LogSumExp))]
        public static double LogSumExpBackward(ReadOnlySpan<double> x, double seed, Span<double> dX)
        {
            Guard.Length(x.Length, dX.Length, nameof(dX));
            int k = ArgMax(x);
            if (k < 0)
            {
                return double.NegativeInfinity;
            }

            double max = x[k];
            if (!double.IsFinite(max))
            {
                for (int i = 0; i < dX.Length; i++)
                {
                    dX[i] += double.NaN;
                }

                return max;
            }

            double rest = SumExpExcept(x, k, max);
            double scale = seed / (1.0 + rest);
            for (int i = 0; i < x.Length; i++)
            {
                dX[i] += scale * Math.Exp(x[i] - max);
            }

            return max + Log1P(rest);
        }

        /// <summary>
        /// Writes softmax(logits)ᵢ = exp(logitsᵢ − max) / Σⱼ exp(logitsⱼ − max) into <paramref name="output"/>. A plain
        /// utility with no pullback (differentiate <see cref="LogSumExp"/> or <see cref="SoftmaxCrossEntropy"/> instead).
        /// <paramref name="output"/> may be the same memory as <paramref name="logits"/> (in-place softmax).
        /// </summary>
        /// <param name="logits">The unnormalised log-probabilities.</param>
        /// <param name="output">Receives the probabilities (same length).</param>
        /// <exception cref="ArgumentException"><paramref name="output"/> has a different length.</exception>
        public static void Softmax(ReadOnlySpan<double> logits, Span<double> output)
        {
            Guard.Length(logits.Length, output.Length, nameof(output));
            int k = ArgMax(logits);
            if (k < 0)
            {
                return;
            }

            double max = logits[k];
            double sum = 0;

            // Each logit is read once, before its own slot is written, so aliasing output with logits is safe.
            for (int i = 0; i < logits.Length; i++)
            {
                double e = Math.Exp(logits[i] - max);
                output[i] = e;
                sum += e;
            }

            double inverse = 1.0 / sum;
            for (int i = 0; i < output.Length; i++)
            {
                output[i] *= inverse;
            }
        }

        /// <summary>
        /// The index of the first maximum; −1 for an empty span. A NaN element wins (its index is returned) so that NaN
        /// propagates into every result instead of hiding behind a larger element.
        /// </summary>
        private static int ArgMax(ReadOnlySpan<double> x)
        {
            int best = -1;
            double max = double.NegativeInfinity;
            for (int i = 0; i < x.Length; i++)
            {
                double v = x[i];
                if (double.IsNaN(v))
                {
                    return i;
                }

                if (best < 0 || v > max)
                {
                    best = i;
                    max = v;
                }
            }

            return best;
        }

        /// <summary>
        /// Σ_{i≠k} exp(xᵢ − max), the sum of the shifted exponentials without the maximum's own term (which is exactly 1):
        /// adding that 1 before taking the log would round away a small remainder, log1p keeps it.
        /// </summary>
        private static double SumExpExcept(ReadOnlySpan<double> x, int k, double max)
        {
            double sum = 0;
            for (int i = 0; i < x.Length; i++)
            {
                if (i != k)
                {
                    sum += Math.Exp(x[i] - max);
                }
            }

            return sum;
        }
    }
}
