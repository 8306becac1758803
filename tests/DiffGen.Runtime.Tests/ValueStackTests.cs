using System;
using DiffGen.Generated;
using Xunit;

namespace DiffGen.Runtime.Tests
{
    /// <summary>
    /// The stack generated reverse sweeps save values on. Slots reserved with <see cref="ValueStack{T}.Reserve"/> and
    /// filled in order must pop exactly as the same values pushed one by one would, across the growth from the
    /// caller's initial buffer into pooled arrays; that equivalence is what docs/reverse-sweep.md rule 16 relies on.
    /// </summary>
    public class ValueStackTests
    {
        [Theory]
        [InlineData(3, 5)] // stays in the initial buffer
        [InlineData(3, 40)] // 120 values: grows past the 64 of the initial buffer
        [InlineData(1, 200)]
        public void Reserved_slots_filled_in_order_pop_like_pushes(int perIteration, int iterations)
        {
            var pushed = new ValueStack<double>(stackalloc double[64]);
            var slotted = new ValueStack<double>(stackalloc double[64]);
            pushed.Push(-1.0); // something below the loop's values
            slotted.Push(-1.0);
            Span<double> slots = slotted.Reserve(perIteration * iterations);
            Assert.Equal(perIteration * iterations, slots.Length);
            for (int i = 0; i < iterations; i++)
            {
                for (int j = 0; j < perIteration; j++)
                {
                    double value = (10.0 * i) + j;
                    pushed.Push(value);
                    slots[(perIteration * i) + j] = value;
                }
            }

            Assert.Equal(pushed.Count, slotted.Count);
            while (pushed.Count > 0)
            {
                Assert.Equal(pushed.Pop(), slotted.Pop());
            }

            pushed.Dispose();
            slotted.Dispose();
        }

        [Theory]
        [InlineData(0)]
        [InlineData(-3)]
        public void Reserving_no_room_changes_nothing(int count)
        {
            var stack = new ValueStack<int>(stackalloc int[4]);
            stack.Push(7);
            Assert.True(stack.Reserve(count).IsEmpty);
            Assert.Equal(1, stack.Count);
            Assert.Equal(7, stack.Pop());
            stack.Dispose();
        }

        [Fact]
        public void Room_reserved_ahead_is_used_without_growing_again()
        {
            var stack = new ValueStack<double>(stackalloc double[8]);
            stack.EnsureCapacity(100);
            Span<double> first = stack.Reserve(60);
            Span<double> second = stack.Reserve(40);
            first[59] = 1.5;
            second[0] = 2.5;
            stack.Pop(); // second[39], still 0
            for (int i = 0; i < 38; i++)
            {
                stack.Pop();
            }

            Assert.Equal(2.5, stack.Pop());
            Assert.Equal(1.5, stack.Pop()); // the first span was not moved by the second reservation
            stack.Dispose();
        }
    }
}
