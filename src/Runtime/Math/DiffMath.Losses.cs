using System;
using System.Diagnostics.CodeAnalysis;

namespace DiffGen
{
    /// <content>Loss functions.</content>
    public static partial class DiffMath
    {
        /// <summary>The mean squared error (1/n) Σ (predictionᵢ − targetᵢ)².</summary>
        /// <param name="prediction">The predictions.</param>
        /// <param name="target">The targets (same length, not empty).</param>
        /// <returns>The mean of the squared differences.</returns>
        /// <exception cref="ArgumentException">The spans differ in length, or are empty (a mean of nothing is undefined).</exception>
        public static double MeanSquaredError(ReadOnlySpan<double> prediction, ReadOnlySpan<double> target)
        {
            Guard.Length(prediction.Length, target.Length, nameof(target));
            Guard.NotEmpty(prediction.Length, nameof(prediction));
            double sum = 0;
            for (int i = 0; i < prediction.Length; i++)
            {
                double d = prediction[i] - target[i];
                sum += d * d;
            }

            return sum / prediction.Length;
        }

        /// <summary>
        /// Pullback of <see cref="MeanSquaredError"/>: <c>dPrediction[i] += seed·2(pᵢ − tᵢ)/n</c> and
        /// <c>dTarget[i] −= seed·2(pᵢ − tᵢ)/n</c>.
        /// </summary>
        /// <param name="prediction">The predictions.</param>
        /// <param name="target">The targets (same length, not empty).</param>
        /// <param name="seed">The adjoint of the result.</param>
        /// <param name="dPrediction">The adjoint of <paramref name="prediction"/> (same length), accumulated into.</param>
        /// <param name="dTarget">The adjoint of <paramref name="target"/> (same length), accumulated into.</param>
        /// <returns>The mean squared error.</returns>
        /// <exception cref="ArgumentException">A span has a different length, or the inputs are empty.</exception>
        [DerivativeOf(nameof(MeanSquaredError))]
        public static double MeanSquaredErrorBackward(
            ReadOnlySpan<double> prediction,
            ReadOnlySpan<double> target,
            double seed,
            Span<double> dPrediction,
            Span<double> dTarget)
        {
            Guard.Length(prediction.Length, dPrediction.Length, nameof(dPrediction));
            Guard.Length(prediction.Length, dTarget.Length, nameof(dTarget));
            double value = MeanSquaredError(prediction, target);
            double scale = 2.0 * seed / prediction.Length;
            for (int i = 0; i < prediction.Length; i++)
            {
                double g = scale * (prediction[i] - target[i]);
                dPrediction[i] += g;
                dTarget[i] -= g;
            }

            return value;
        }

        /// <summary>
        /// The cross-entropy of softmax(logits) against the class <paramref name="label"/>:
        /// <c>−log softmax(logits)[label] = LogSumExp(logits) − logits[label]</c>, computed as
        /// <c>(max − logits[label]) + log1p(Σ_{i≠k} exp(logitsᵢ − max))</c> (k the first maximum) so a confidently right
        /// prediction keeps its tiny loss instead of rounding it to 0.
        /// </summary>
        /// <param name="logits">The unnormalised log-probabilities.</param>
        /// <param name="label">The index of the true class (data: it has no adjoint).</param>
        /// <returns>The loss, not negative.</returns>
        /// <exception cref="ArgumentOutOfRangeException"><paramref name="label"/> is not an index into <paramref name="logits"/>.</exception>
        public static double SoftmaxCrossEntropy(ReadOnlySpan<double> logits, int label)
        {
            CheckLabel(label, logits.Length);
            int k = ArgMax(logits);
            double max = logits[k];
            return (max - logits[label]) + Log1P(SumExpExcept(logits, k, max));
        }

        /// <summary>Pullback of <see cref="SoftmaxCrossEntropy"/>: <c>dLogits[i] += seed·(softmax(logits)ᵢ − [i = label])</c>.</summary>
        /// <param name="logits">The unnormalised log-probabilities.</param>
        /// <param name="label">The index of the true class.</param>
        /// <param name="seed">The adjoint of the result.</param>
        /// <param name="dLogits">The adjoint of <paramref name="logits"/> (same length), accumulated into.</param>
        /// <returns>The loss.</returns>
        /// <exception cref="ArgumentException"><paramref name="dLogits"/> has a different length, or <paramref name="label"/> is out of range.</exception>
        [DerivativeOf(nameof(SoftmaxCrossEntropy))]
        public static double SoftmaxCrossEntropyBackward(ReadOnlySpan<double> logits, int label, double seed, Span<double> dLogits)
        {
            CheckLabel(label, logits.Length);
            Guard.Length(logits.Length, dLogits.Length, nameof(dLogits));
            int k = ArgMax(logits);
            double max = logits[k];
            double rest = SumExpExcept(logits, k, max);
            double value = (max - logits[label]) + Log1P(rest);
            double scale = seed / (1.0 + rest);
            for (int i = 0; i < logits.Length; i++)
            {
                dLogits[i] += scale * Math.Exp(logits[i] - max);
            }

            dLogits[label] -= seed;
            return value;
        }

        private static void CheckLabel(int label, int count)
        {
            if ((uint)label >= (uint)count)
            {
                ThrowLabel(label, count);
            }
        }

        [DoesNotReturn]
        private static void ThrowLabel(int label, int count)
        {
            throw new ArgumentOutOfRangeException(nameof(label), label, $"The label must be an index into the {count} logits.");
        }
    }
}
