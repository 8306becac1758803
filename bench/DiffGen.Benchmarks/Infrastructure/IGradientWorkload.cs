using System;

namespace DiffGen.Benchmarks.Infrastructure
{
    /// <summary>
    /// One workload's four variants, as the benchmark runs them: the primal function, the generated gradient
    /// (<c>FGradient</c>), a hand-written gradient and central finite differences. Every gradient variant returns the
    /// function's value and writes ∂f/∂θ into its own buffer, flattened in the order of <see cref="Parameters"/>.
    /// The test project drives the same objects, so a benchmark can never time different things than it claims.
    /// </summary>
    public interface IGradientWorkload
    {
        /// <summary>Allocates and fills every buffer (the benchmark's [GlobalSetup]).</summary>
        void Setup();

        /// <summary>The active inputs θ, flattened (the point the gradient is taken at).</summary>
        ReadOnlySpan<double> Parameters { get; }

        /// <summary>Written by <see cref="Generated"/>.</summary>
        ReadOnlySpan<double> GeneratedGradient { get; }

        /// <summary>Written by <see cref="HandWritten"/>.</summary>
        ReadOnlySpan<double> HandWrittenGradient { get; }

        /// <summary>Written by <see cref="FiniteDifferences"/>.</summary>
        ReadOnlySpan<double> FiniteDifferenceGradient { get; }

        /// <summary>f(θ).</summary>
        double Primal();

        /// <summary>f(θ) and ∇f(θ) from the generated <c>FGradient</c>.</summary>
        double Generated();

        /// <summary>f(θ) and ∇f(θ) from the hand-written gradient.</summary>
        double HandWritten();

        /// <summary>f(θ) and ∇f(θ) from central differences: 2·|θ| + 1 evaluations of the primal.</summary>
        double FiniteDifferences();
    }
}
