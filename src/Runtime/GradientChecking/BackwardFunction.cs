using System;

namespace DiffGen
{
    /// <summary>
    /// The Backward shape of a scalar function of one span (for example <see cref="DiffMath.LogSumExpBackward"/>):
    /// adds <c>seed · ∇f(x)</c> to <paramref name="dX"/> and returns <c>f(x)</c>.
    /// </summary>
    /// <param name="x">The point at which to evaluate.</param>
    /// <param name="seed">The adjoint of the result; the gradient is scaled by it.</param>
    /// <param name="dX">The adjoint of <paramref name="x"/>, accumulated into.</param>
    /// <returns>The value <c>f(x)</c>.</returns>
    public delegate double BackwardFunction(ReadOnlySpan<double> x, double seed, Span<double> dX);
}
