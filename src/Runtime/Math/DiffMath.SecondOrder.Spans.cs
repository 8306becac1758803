using System;

namespace DiffGen
{
    /// <content>
    /// Hessian-vector products of the span helpers (Sum, Dot, LogSumExp, MeanSquaredError, SoftmaxCrossEntropy), so
    /// methods with <c>DiffModes.Hessian</c> can call them on differentiable spans. Same shape as the scalar ones
    /// (see DiffMath.SecondOrder.cs), with a <c>ReadOnlySpan&lt;double&gt;</c> direction and a <c>Span&lt;double&gt;</c>
    /// gradient and H·v per differentiable span; the outputs are overwritten, not accumulated.
    /// </content>
    public static partial class DiffMath
    {
        /// <summary>Σ xᵢ, its gradient (all ones) and H·v = 0.</summary>
        /// <param name="x">The elements.</param>
        /// <param name="xDot">The direction (same length).</param>
        /// <param name="dX">Receives the gradient (same length).</param>
        /// <param name="hvX">Receives H·v (same length).</param>
        /// <returns>Σ xᵢ.</returns>
        /// <exception cref="ArgumentException">A span has a different length.</exception>
        public static double SumHessianVector(ReadOnlySpan<double> x, ReadOnlySpan<double> xDot, Span<double> dX, Span<double> hvX)
        {
            Guard.Length(x.Length, xDot.Length, nameof(xDot));
            Guard.Length(x.Length, dX.Length, nameof(dX));
            Guard.Length(x.Length, hvX.Length, nameof(hvX));
            dX.Fill(1.0);
            hvX.Clear();
            return Sum(x);
        }

        /// <summary>a·b, its gradient (b, a) and H·v = (ḃ, ȧ).</summary>
        /// <param name="a">The first vector.</param>
        /// <param name="b">The second vector (same length).</param>
        /// <param name="aDot">The direction for <paramref name="a"/>.</param>
        /// <param name="bDot">The direction for <paramref name="b"/>.</param>
        /// <param name="dA">Receives ∂/∂a = b.</param>
        /// <param name="dB">Receives ∂/∂b = a.</param>
        /// <param name="hvA">Receives (H·v) for a: ḃ.</param>
        /// <param name="hvB">Receives (H·v) for b: ȧ.</param>
        /// <returns>a·b.</returns>
        /// <exception cref="ArgumentException">A span has a different length.</exception>
        public static double DotHessianVector(
            ReadOnlySpan<double> a,
            ReadOnlySpan<double> b,
            ReadOnlySpan<double> aDot,
            ReadOnlySpan<double> bDot,
            Span<double> dA,
            Span<double> dB,
            Span<double> hvA,
            Span<double> hvB)
        {
            Guard.Length(a.Length, b.Length, nameof(b));
            Guard.Length(a.Length, aDot.Length, nameof(aDot));
            Guard.Length(a.Length, bDot.Length, nameof(bDot));
            Guard.Length(a.Length, dA.Length, nameof(dA));
            Guard.Length(a.Length, dB.Length, nameof(dB));
            Guard.Length(a.Length, hvA.Length, nameof(hvA));
            Guard.Length(a.Length, hvB.Length, nameof(hvB));
            b.CopyTo(dA);
            a.CopyTo(dB);
            bDot.CopyTo(hvA);
            aDot.CopyTo(hvB);
            return Dot(a, b);
        }

        /// <summary>
        /// log Σ exp(xᵢ), its gradient p = softmax(x) and H·v = p ⊙ v − p·(p·v) (the Hessian is diag(p) − p pᵀ).
        /// </summary>
        /// <param name="x">The elements.</param>
        /// <param name="xDot">The direction (same length).</param>
        /// <param name="dX">Receives softmax(x).</param>
        /// <param name="hvX">Receives H·v.</param>
        /// <returns>log Σ exp(xᵢ).</returns>
        /// <exception cref="ArgumentException">A span has a different length.</exception>
        public static double LogSumExpHessianVector(ReadOnlySpan<double> x, ReadOnlySpan<double> xDot, Span<double> dX, Span<double> hvX)
        {
            Guard.Length(x.Length, xDot.Length, nameof(xDot));
            Guard.Length(x.Length, dX.Length, nameof(dX));
            Guard.Length(x.Length, hvX.Length, nameof(hvX));
            dX.Clear();
            double value = LogSumExpBackward(x, 1.0, dX);
            SoftmaxHessianVector(dX, xDot, hvX);
            return value;
        }

        /// <summary>
        /// The mean squared error (1/n)·Σ (pᵢ − tᵢ)², its gradient ±2(p − t)/n and H·v = ±2(ṗ − ṫ)/n.
        /// </summary>
        /// <param name="prediction">The predictions.</param>
        /// <param name="target">The targets (same length).</param>
        /// <param name="predictionDot">The direction for the predictions.</param>
        /// <param name="targetDot">The direction for the targets.</param>
        /// <param name="dPrediction">Receives ∂/∂prediction.</param>
        /// <param name="dTarget">Receives ∂/∂target.</param>
        /// <param name="hvPrediction">Receives (H·v) for the predictions.</param>
        /// <param name="hvTarget">Receives (H·v) for the targets.</param>
        /// <returns>The mean squared error.</returns>
        /// <exception cref="ArgumentException">A span has a different length, or the inputs are empty.</exception>
        public static double MeanSquaredErrorHessianVector(
            ReadOnlySpan<double> prediction,
            ReadOnlySpan<double> target,
            ReadOnlySpan<double> predictionDot,
            ReadOnlySpan<double> targetDot,
            Span<double> dPrediction,
            Span<double> dTarget,
            Span<double> hvPrediction,
            Span<double> hvTarget)
        {
            Guard.Length(prediction.Length, predictionDot.Length, nameof(predictionDot));
            Guard.Length(prediction.Length, targetDot.Length, nameof(targetDot));
            Guard.Length(prediction.Length, dPrediction.Length, nameof(dPrediction));
            Guard.Length(prediction.Length, dTarget.Length, nameof(dTarget));
            Guard.Length(prediction.Length, hvPrediction.Length, nameof(hvPrediction));
            Guard.Length(prediction.Length, hvTarget.Length, nameof(hvTarget));
            double value = MeanSquaredError(prediction, target);
            double scale = 2.0 / prediction.Length;
            for (int i = 0; i < prediction.Length; i++)
            {
                double g = scale * (prediction[i] - target[i]);
                double h = scale * (predictionDot[i] - targetDot[i]);
                dPrediction[i] = g;
                dTarget[i] = -g;
                hvPrediction[i] = h;
                hvTarget[i] = -h;
            }

            return value;
        }

        /// <summary>
        /// The softmax cross-entropy LogSumExp(z) − z_label, its gradient p − e_label and H·v = p ⊙ v − p·(p·v) (the
        /// label term is linear).
        /// </summary>
        /// <param name="logits">The unnormalised log-probabilities.</param>
        /// <param name="label">The index of the true class (data: it has no direction).</param>
        /// <param name="logitsDot">The direction (same length).</param>
        /// <param name="dLogits">Receives the gradient.</param>
        /// <param name="hvLogits">Receives H·v.</param>
        /// <returns>The loss.</returns>
        /// <exception cref="ArgumentException">A span has a different length, or <paramref name="label"/> is out of range.</exception>
        public static double SoftmaxCrossEntropyHessianVector(ReadOnlySpan<double> logits, int label, ReadOnlySpan<double> logitsDot, Span<double> dLogits, Span<double> hvLogits)
        {
            Guard.Length(logits.Length, logitsDot.Length, nameof(logitsDot));
            Guard.Length(logits.Length, dLogits.Length, nameof(dLogits));
            Guard.Length(logits.Length, hvLogits.Length, nameof(hvLogits));
            dLogits.Clear();
            double value = SoftmaxCrossEntropyBackward(logits, label, 1.0, dLogits);
            dLogits[label] += 1.0; // p, for the Hessian
            SoftmaxHessianVector(dLogits, logitsDot, hvLogits);
            dLogits[label] -= 1.0;
            return value;
        }

        /// <summary>(diag(p) − p pᵀ)·v = p ⊙ (v − p·v).</summary>
        private static void SoftmaxHessianVector(ReadOnlySpan<double> p, ReadOnlySpan<double> v, Span<double> hv)
        {
            double pv = 0.0;
            for (int i = 0; i < p.Length; i++)
            {
                pv += p[i] * v[i];
            }

            for (int i = 0; i < p.Length; i++)
            {
                hv[i] = p[i] * (v[i] - pv);
            }
        }
    }
}
