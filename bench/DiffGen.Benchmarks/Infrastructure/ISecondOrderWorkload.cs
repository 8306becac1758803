using System;

namespace DiffGen.Benchmarks.Infrastructure
{
    /// <summary>
    /// One workload's forward-mode and Hessian-vector variants, against the primal function: <c>FTangent</c> (value and
    /// ∇f·v) and <c>FHessianVector</c> (value, ∇f and H·v in one call) for a fixed direction v. The test project drives
    /// the same objects, as for <see cref="IGradientWorkload"/>.
    /// </summary>
    public interface ISecondOrderWorkload
    {
        /// <summary>Allocates and fills every buffer (the benchmark's [GlobalSetup]).</summary>
        void Setup();

        /// <summary>The active inputs θ, flattened.</summary>
        ReadOnlySpan<double> Parameters { get; }

        /// <summary>The direction v (same layout as θ), fixed random entries in [−1, 1].</summary>
        ReadOnlySpan<double> Direction { get; }

        /// <summary>∇f·v, written by <see cref="Tangent"/>.</summary>
        double TangentValue { get; }

        /// <summary>∇f, written by <see cref="HessianVector"/>.</summary>
        ReadOnlySpan<double> HessianVectorGradient { get; }

        /// <summary>H·v, written by <see cref="HessianVector"/>.</summary>
        ReadOnlySpan<double> HessianVectorProduct { get; }

        /// <summary>f(θ).</summary>
        double Primal();

        /// <summary>f(θ) and ∇f(θ)·v from the generated <c>FTangent</c>.</summary>
        double Tangent();

        /// <summary>f(θ), ∇f(θ) and H(θ)·v from the generated <c>FHessianVector</c>.</summary>
        double HessianVector();

        /// <summary>∇f at another point, by the generated <c>FGradient</c> (for the tests' finite differences of the gradient).</summary>
        void Gradient(ReadOnlySpan<double> theta, Span<double> gradient);
    }
}
