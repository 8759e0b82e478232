@allure.label.epic:Cuts @mux
Feature: Deleting a cut deletes its video at Mux
  When a cut is deleted, the portal has Mux delete the cut's asset too: in the background, after
  answering, trying again while Mux does not answer, and setting the deletion aside for the studio
  when Mux keeps failing. A cut deleted with its project stays at Mux, since the studio may restore
  the project.

  Background:
    Given Brightside Agency has the project "Harbour campaign"
    And Theo has uploaded "Harbour Lights" v4

  Rule: Deleting a cut has Mux delete its asset, in the background, never inside the request

    @allure.severity:critical
    Scenario: Theo deletes the cut: Mux deletes its asset
      Given Mux has finished processing it
      When Theo deletes the cut
      Then Theo no longer finds the cut in its project
      And the audit log records that Theo deleted the cut, with the deletion it asked of Mux
      And Mux has deleted the cut's asset

    Scenario: The deletion at Mux waits for the background worker, not the other way round
      Given Mux has finished processing it
      And the portal's background worker is down
      When Theo deletes the cut
      Then Theo no longer finds the cut in its project
      But Mux has not been asked to delete anything
      When the background worker starts again
      Then Mux has deleted the cut's asset

    Scenario: A cut deleted while it was still uploading has its asset deleted once Mux reports it
      Given Theo has deleted the cut
      When Mux reports that the file arrived
      Then Mux has deleted the cut's asset

    Scenario: Deleting a project leaves its cuts at Mux, so that the studio can restore it
      Given Mux has finished processing it
      When Theo deletes the cut's project
      Then Mux has not been asked to delete anything

  Rule: While Mux does not answer, the deletion is tried again later; after 5 failures it is set aside for the studio

    @negative
    Scenario: Mux fails once: the deletion is tried again later and then succeeds
      Given Mux has finished processing it
      And Mux will fail the next 1 deletion
      When Theo deletes the cut
      Then the deletion at Mux waits to be tried again
      When the time to try again has come
      Then Mux has deleted the cut's asset

    @negative
    Scenario: Mux fails 5 times: the deletion is set aside for the studio
      Given Mux has finished processing it
      And Mux will fail the next 5 deletions
      When Theo deletes the cut
      And the deletion at Mux has been tried 5 times
      Then the deletion at Mux is set aside as failed, with Mux's answer
      And Mux has not deleted the cut's asset
