import { Skeleton, SkeletonText, Stack } from '@chakra-ui/react'

/** The loading state: the same footprint as the content, so nothing jumps when data lands. */
export default function CardSkeleton() {
  return (
    <Stack gap="4" aria-hidden="true" data-testid="card-skeleton">
      <Skeleton height="40px" width="60%" />
      <Skeleton height="12px" />
      <SkeletonText noOfLines={3} gap="3" />
      <Skeleton height="120px" />
    </Stack>
  )
}
