namespace DiffGen
{
    /// <summary>
    /// The Backward shape of a scalar function of two scalars (for example <see cref="DiffMath.LeakyReluBackward"/>):
    /// adds <c>seed · ∂f/∂x</c> to <paramref name="dX"/>, <c>seed · ∂f/∂y</c> to <paramref name="dY"/> and returns <c>f(x, y)</c>.
    /// </summary>
    /// <param name="x">The first argument.</param>
    /// <param name="y">The second argument.</param>
    /// <param name="seed">The adjoint of the result; the derivatives are scaled by it.</param>
    /// <param name="dX">The adjoint of <paramref name="x"/>, accumulated into.</param>
    /// <param name="dY">The adjoint of <paramref name="y"/>, accumulated into.</param>
    /// <returns>The value <c>f(x, y)</c>.</returns>
    public delegate double BinaryBackwardFunction(double x, double y, double seed, ref double dX, ref double dY);
}
