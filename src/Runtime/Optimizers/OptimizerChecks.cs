using System;

namespace DiffGen
{
    /// <summary>Constructor and per-step validation shared by the optimisers, so they report problems identically.</summary>
    internal static class OptimizerChecks
    {
        internal static void ParameterCount(int parameterCount)
        {
            if (parameterCount < 0)
            {
                throw new ArgumentOutOfRangeException(nameof(parameterCount), parameterCount, "The parameter count must not be negative.");
            }
        }

        internal static void LearningRate(double learningRate)
        {
            // NaN fails the comparison too, which is the point: a NaN rate would silently poison every parameter.
            if (!(learningRate >= 0) || double.IsInfinity(learningRate))
            {
                throw new ArgumentOutOfRangeException(nameof(learningRate), learningRate, "The learning rate must be finite and not negative.");
            }
        }

        /// <summary>Decay rates live in [0, 1): at 1 the bias correction 1 - β^t would divide by zero and nothing would ever decay.</summary>
        internal static void DecayRate(double value, string paramName)
        {
            if (!(value >= 0 && value < 1))
            {
                throw new ArgumentOutOfRangeException(paramName, value, "The value must lie in [0, 1).");
            }
        }

        internal static void Step(int parameterCount, int parametersLength, int gradientLength)
        {
            Guard.Length(parameterCount, parametersLength, "parameters");
            Guard.Length(parameterCount, gradientLength, "gradient");
        }
    }
}
