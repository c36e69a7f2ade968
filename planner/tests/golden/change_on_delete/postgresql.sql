-- warning[may-fail]: A foreign key on Comment(postId) referencing Post will be added. If existing rows reference rows that do not exist, this will fail.

ALTER TABLE "Comment" DROP CONSTRAINT "Comment_postId_fkey";
ALTER TABLE "Comment" ADD CONSTRAINT "Comment_postId_fkey" FOREIGN KEY ("postId") REFERENCES "Post"("id") ON DELETE CASCADE ON UPDATE CASCADE;
