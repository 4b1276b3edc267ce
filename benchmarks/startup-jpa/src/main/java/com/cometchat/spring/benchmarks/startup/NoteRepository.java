package com.cometchat.spring.benchmarks.startup;

import java.util.List;

import org.springframework.data.jpa.repository.JpaRepository;

/**
 * The JPA application's own repository, with one derived query as applications have.
 *
 * @author CometChat
 */
public interface NoteRepository extends JpaRepository<Note, Long> {

	List<Note> findByTextContaining(String text);

}
