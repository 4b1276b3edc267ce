package com.cometchat.spring.autoconfigure.userapp;

import org.springframework.data.jpa.repository.JpaRepository;

/**
 * A repository of "the user's application".
 */
public interface NoteRepository extends JpaRepository<Note, Long> {

}
