using System;

namespace DiffGen
{
    /// <summary>
    /// A first-order optimiser that updates a flat vector of parameters in place from a gradient of the same length.
    /// Implementations own whatever state they need (moment buffers) and allocate it once, in their constructor.
    /// </summary>
    public interface IOptimizer
    {
        /// <summary>The number of parameters this optimiser was created for; every step must pass exactly this many.</summary>
        int ParameterCount { get; }

        /// <summary>The number of completed calls to <see cref="Step"/> since construction or the last <see cref="Reset"/>.</summary>
        int StepCount { get; }

        /// <summary>
        /// Applies one update: moves <paramref name="parameters"/> against <paramref name="gradient"/>
        /// (the gradient of the loss to minimise).
        /// </summary>
        /// <param name="parameters">The parameters, updated in place.</param>
        /// <param name="gradient">∂loss/∂parameters at the current parameters.</param>
        /// <exception cref="ArgumentException">Either span's length differs from <see cref="ParameterCount"/>.</exception>
        void Step(Span<double> parameters, ReadOnlySpan<double> gradient);

        /// <summary>Forgets all optimiser state (moments, step count) so training can restart from the current parameters.</summary>
        void Reset();
    }
}
